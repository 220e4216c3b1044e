// The kit as an API, for a test suite of your own: start it from a CDK app or a template, read its endpoints,
// close it. `import { startKit } from "<repo>/localdev/src/index.js"`.
export { type LocalDeployment, SERVED_TYPES } from "./kit/deployment.js";
export { SERVICES, type Service } from "./kit/ports.js";
export {
  flatEndpoints,
  type Kit,
  type KitBuild,
  type KitEndpoints,
  type KitOptions,
  startKit,
} from "./kit/start.js";
