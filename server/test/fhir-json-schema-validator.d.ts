/** The official FHIR R4 JSON schema, compiled with ajv (the package ships no types). */
declare module '@asymmetrik/fhir-json-schema-validator' {
  export default class Validator {
    /** The schema errors of a resource; empty when it is valid FHIR R4. */
    validate(resource: unknown): unknown[];
  }
}
