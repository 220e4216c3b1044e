// SSM's slice of the template: its parameters, and the Secrets Manager secrets SSM hands out through
// `/aws/reference/secretsmanager/*`. SecureStrings come from whoever writes them (a custom resource's provider
// calling PutParameter), as CloudFormation itself cannot create them.
import type { ServiceSlice } from "../template/stackView.js";

export interface LocalParameter {
  name: string;
  type: "String" | "StringList" | "SecureString";
  value: string;
}

export interface SsmSettings {
  parameters: LocalParameter[];
  /** Secrets by ARN, for dynamic references and `/aws/reference/secretsmanager/*`. */
  secrets: Record<string, string>;
}

export const ssmSlice: ServiceSlice<SsmSettings> = {
  name: "ssm",
  types: ["AWS::SSM::Parameter", "AWS::SecretsManager::Secret"],
  extract(view) {
    const parameters: LocalParameter[] = view.resourcesOfType("AWS::SSM::Parameter").map((id) => {
      const props = view.localProperties(id);
      return {
        name: view.ref(id),
        type: (props.Type as LocalParameter["type"]) ?? "String",
        value: String(props.Value),
      };
    });
    const secrets: Record<string, string> = {};
    for (const id of view.resourcesOfType("AWS::SecretsManager::Secret"))
      secrets[view.ref(id)] = view.secretValue(id);
    return { parameters, secrets };
  },
};
