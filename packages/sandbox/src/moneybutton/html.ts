import { htmlPage } from '../html.js';

const STYLE = `body{font-family:system-ui,sans-serif;max-width:30rem;margin:3rem auto;padding:0 1rem;line-height:1.4}
label{display:block;margin-top:1rem}input{width:100%;padding:.4rem;box-sizing:border-box}
button{margin:1rem .5rem 0 0;padding:.5rem 1rem}.error{color:#a00}`;

/** A Money Button sandbox page; `body` must already be escaped. */
export function htmlDocument(title: string, body: string): string {
  return htmlPage({ lang: 'en', title, style: STYLE, body });
}
