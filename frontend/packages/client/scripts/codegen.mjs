// Generates the API types from the OpenAPI documents the services export at build time
// (quarkus.smallrye-openapi.store-schema-directory), so an incompatible API change fails `tsc`
// instead of the user's screen (the package's and the dashboard's). The output is generated into the
// build (src/generated), never committed.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import openapiTS, { astToString } from 'openapi-typescript';

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '..', '..', '..', '..');
const out = resolve(here, '..', 'src', 'generated');
const specs = {
  auth: resolve(repo, 'auth-service/target/openapi/openapi.json'),
  notification: resolve(repo, 'notification-service/target/openapi/openapi.json'),
};

mkdirSync(out, { recursive: true });
for (const [name, file] of Object.entries(specs)) {
  if (!existsSync(file)) {
    console.error(`Missing ${file}: build the service first (./mvnw -DskipTests package -pl ${name}-service).`);
    process.exit(1);
  }
  const ast = await openapiTS(JSON.parse(readFileSync(file, 'utf8')));
  const target = resolve(out, `${name}.ts`);
  writeFileSync(target, `// Generated from ${name}-service's OpenAPI document by scripts/codegen.mjs. Do not edit.\n${astToString(ast)}`);
  console.log(`codegen: ${target}`);
}
