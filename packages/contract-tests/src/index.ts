export type { ContractEnvironment, ContractFault, ContractOptions, ContractSandbox } from './environment.js';
export { activeHandles, eventually } from './handles.js';
export { leakedSecrets } from './leaks.js';
export { runContractTests } from './suite.js';
