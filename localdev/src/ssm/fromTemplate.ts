// SSM's slice of the template: parameters (plain, and the SecureStrings our custom resource writes at deploy
// time), and the Secrets Manager secrets SSM hands out through `/aws/reference/secretsmanager/*`.
import { TemplateResolveError } from "../template/intrinsics.js";
import type { ServiceSlice, StackView } from "../template/stackView.js";

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
  types: ["AWS::SSM::Parameter", "Custom::SecureStringParameter", "AWS::SecretsManager::Secret"],
  extract(view) {
    const parameters: LocalParameter[] = view.resourcesOfType("AWS::SSM::Parameter").map((id) => {
      const props = view.localProperties(id);
      return {
        name: view.ref(id),
        type: (props.Type as LocalParameter["type"]) ?? "String",
        value: String(props.Value),
      };
    });
    for (const id of view.resourcesOfType("Custom::SecureStringParameter")) {
      const props = view.properties(id);
      parameters.push({
        name: String(props.ParameterName),
        type: "SecureString",
        value: secureValue(view, id, props),
      });
    }
    const secrets: Record<string, string> = {};
    for (const id of view.resourcesOfType("AWS::SecretsManager::Secret"))
      secrets[view.ref(id)] = view.secretValue(id);
    return { parameters, secrets };
  },
};

/** The value our SecureStringParameter custom resource copies in at deploy time. */
function secureValue(view: StackView, logicalId: string, props: Record<string, unknown>): string {
  const from = (props.ValueFrom ?? {}) as Record<string, unknown>;
  const cognito = from.CognitoClientSecret as { UserPoolId?: string; ClientId?: string } | undefined;
  if (cognito) {
    const client = view
      .resourcesOfType("AWS::Cognito::UserPoolClient")
      .find(
        (id) =>
          view.record(id).id === cognito.ClientId && view.properties(id).UserPoolId === cognito.UserPoolId,
      );
    if (!client || view.properties(client).GenerateSecret !== true) {
      throw new TemplateResolveError(
        `${logicalId}: app client ${cognito.ClientId} has no secret in the template`,
      );
    }
    return view.record(client).attributes.ClientSecret!;
  }
  if (typeof from.SecretsManagerSecretId === "string") return view.secretValue(from.SecretsManagerSecretId);
  throw new TemplateResolveError(
    `${logicalId}: ValueFrom ${JSON.stringify(Object.keys(from))} is not supported`,
  );
}

/** A secret by ARN or by name (`/aws/reference/secretsmanager/<name>` uses names). */
export function findSecret(secrets: Record<string, string>, id: string): string | undefined {
  // Own properties only: a client asks for this id (`/aws/reference/secretsmanager/constructor`).
  if (Object.hasOwn(secrets, id)) return secrets[id];
  return Object.entries(secrets).find(([arn]) => arn.includes(`:secret:${id}-`))?.[1];
}
