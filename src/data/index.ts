export { boundedJson, describeValue } from './bounded-json.js';
export type { JsonBounds } from './bounded-json.js';
export { exceedsDepth, MAX_JSON_DEPTH } from './json-depth.js';
export { emptyRecord, isReservedName, recordOf, RESERVED_NAMES } from './plain-record.js';
export { storedJson } from './stored-json.js';
