// Stands in for a Node built-in that a bundled package requires only on a path lmm-wasm never takes
// (papaparse's Node-stream reader needs `stream`; parseCsv parses strings).
module.exports = {};
