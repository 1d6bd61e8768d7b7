export { mcpTools } from './mcp-tools.js';
export type { McpTool, McpToolSet } from './mcp-tool-set.js';
export type { McpHttpServer, McpServerOptions, McpStdioServer, McpToolInfo, McpToolOptions, McpToolSelector } from './mcp-options.js';
