// Public API of the Cognito emulator, wired by the kit's composition root.
export type {
  CognitoClientConfig,
  CognitoPasswordPolicy,
  CognitoUserPoolConfig,
  UserPoolTemplateInput,
} from "./config.js";
export { userPoolConfigFromTemplate } from "./config.js";
export type {
  CognitoEmulator,
  CognitoEmulatorOptions,
  HostedUiSession,
  PendingConfirmation,
  UserSummary,
} from "./emulator.js";
export { CONFIRMATIONS_PATH, createCognitoEmulator } from "./emulator.js";
export { newClientId, newClientSecret, newUserPoolId } from "./ids.js";
export { issuerOf } from "./tokens.js";
