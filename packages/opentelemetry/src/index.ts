export { instrumentPaygate, type PaygateInstrumentation, type PaygateInstrumentationOptions } from './instrument.js';
