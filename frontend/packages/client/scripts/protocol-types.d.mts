/** contracts/asyncapi.yaml, the definition of the WebSocket protocol. */
export const contractPath: string;
/** src/protocol.gen.ts, the committed output. */
export const outputPath: string;
/** The whole generated file for the text of contracts/asyncapi.yaml. */
export function generate(contractText: string): string;
