// Lints code snippets as if they were files at given paths, with the project's eslint config.
// Reads [{ filePath, code }] as JSON on stdin, writes [[ruleId, …], …]. A child process because
// ESLint loads its config through dynamic import(), which jest's module VM cannot host.
import { ESLint } from 'eslint';

let input = '';
for await (const chunk of process.stdin) input += chunk;
const eslint = new ESLint({ cwd: new URL('../..', import.meta.url).pathname });
const out = [];
for (const { filePath, code } of JSON.parse(input)) {
  const [result] = await eslint.lintText(code, { filePath });
  out.push(result.messages.map((message) => message.ruleId));
}
process.stdout.write(JSON.stringify(out));
