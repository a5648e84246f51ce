// Checks the service's OpenAPI document and real responses against it, for tests/CrlmCdsHooks.Api.Tests.
//   node openapi-check.js <openapi.json> <exchanges.json>
// exchanges.json: [{ "method": "post", "path": "/cds-services/{id}", "status": 200, "contentType": "application/json", "body": {...} | null }]
// Prints { "document": [errors], "exchanges": [[errors] per exchange] } and exits 0 only when everything conforms.
'use strict';
const fs = require('node:fs');
const { Validator } = require('@seriousme/openapi-schema-validator');
const Ajv2020 = require('ajv/dist/2020').default;
const addFormats = require('ajv-formats');

async function main([documentPath, exchangesPath]) {
  const document = JSON.parse(fs.readFileSync(documentPath, 'utf8'));
  const exchanges = JSON.parse(fs.readFileSync(exchangesPath, 'utf8'));

  // The OpenAPI 3.1 specification's own JSON Schema, strictly.
  const validation = await new Validator().validate(document);
  const documentErrors = validation.valid ? [] : [].concat(validation.errors).map(e => JSON.stringify(e));

  // Response schemas are JSON Schema 2020-12 (OpenAPI 3.1's dialect); refs resolve inside the document.
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema({ ...document, $id: 'https://crlm-cds-hooks.example.org/openapi.json' });
  const pointer = (...parts) => parts.map(p => String(p).replaceAll('~', '~0').replaceAll('/', '~1')).join('/');

  const results = exchanges.map(({ method, path, status, contentType, body }) => {
    const operation = document.paths?.[path]?.[method];
    if (!operation) return [`${method.toUpperCase()} ${path} is not in the document`];
    const response = operation.responses?.[String(status)];
    if (!response) return [`${method.toUpperCase()} ${path} does not document status ${status}`];
    if (!response.content) return body === null ? [] : [`status ${status} is documented without a body, but one was sent`];
    const mediaType = (contentType || '').split(';')[0].trim();
    if (!response.content[mediaType]) return [`status ${status} is documented as ${Object.keys(response.content).join(', ')}, not '${mediaType}'`];
    if (body === null) return [];
    const validate = ajv.getSchema(`https://crlm-cds-hooks.example.org/openapi.json#/${pointer('paths', path, method, 'responses', status, 'content', mediaType, 'schema')}`);
    return validate(body) ? [] : validate.errors.map(e => `${e.instancePath || '/'} ${e.message} ${JSON.stringify(e.params)}`);
  });

  process.stdout.write(JSON.stringify({ document: documentErrors, exchanges: results }));
  process.exitCode = documentErrors.length === 0 && results.every(r => r.length === 0) ? 0 : 1;
}

main(process.argv.slice(2)).catch(error => { console.error(error); process.exitCode = 2; });
