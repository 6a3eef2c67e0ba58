// The browser build's stand-in for the `debug` package, which @stdlib's gammaincinv requires (CommonJS) for
// trace messages that are off unless enabled: the same factory shape, never printing.
module.exports = function createDebug() {
  const debug = () => {};
  debug.enabled = false;
  return debug;
};
