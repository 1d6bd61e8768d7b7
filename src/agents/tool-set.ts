/** Marks tool sets, so that an arbitrary object with a `close` method is not taken for one. */
export const toolSetBrand: unique symbol = Symbol('switchyard.tool-set');

/**
 * Tools that hold a resource — a connection to an MCP server — with `close()` to free it. The tools are the
 * object's own properties, by name; its methods are not enumerable, so spreading a tool set into a record of
 * tools (`{ ...github, ...files }`) copies the tools and nothing else. Pass it to an agent's `tools` as it is, or
 * spread it beside your own tools. Close it when the runs that use it are done (`await using` closes it too).
 */
export abstract class ToolSet {
  /** Frees what the tools hold (closes the connection). Safe to call more than once. */
  abstract close(): Promise<void>;

  /** `await using tools = await mcpTools(...)` closes the set at the end of the block. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  /** @internal brand */
  [toolSetBrand](): void {}
}
