// CommonJS: require() of every package (Node >= 20.19 / 22.12 load the ESM through the exports
// map's `default` condition). Prints, per package, how many names it exports.
const names = ['core', 'monerium', 'moneybutton', 'moneyns', 'opentelemetry', 'sandbox', 'contract-tests', 'token-store-redis'];
const counts = {};
for (const name of names) counts[name] = Object.keys(require(`@paygate/${name}`)).length;
console.log(JSON.stringify(counts));
