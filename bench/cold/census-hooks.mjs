// Loader hooks of census.mjs: append each loaded module's URL and format to the census file.
import { appendFileSync } from 'node:fs';

let file;

export const initialize = (data) => {
  file = data?.file;
};

export const load = async (url, context, nextLoad) => {
  const result = await nextLoad(url, context);
  if (file !== undefined && file !== '') appendFileSync(file, `esm ${result.format ?? '?'} ${url}\n`);
  return result;
};
