// Cognito's slice of the template: user pools, their app clients and hosted UI domains.
import type { ServiceSlice, StackView } from "../template/stackView.js";
import { type CognitoUserPoolConfig, userPoolConfigFromTemplate } from "./config.js";

export interface LocalUserPool {
  logicalId: string;
  id: string;
  properties: Record<string, unknown>;
  domainPrefix?: string;
  clients: {
    logicalId: string;
    clientId: string;
    clientSecret?: string;
    properties: Record<string, unknown>;
  }[];
}

export const cognitoSlice: ServiceSlice<LocalUserPool[]> = {
  name: "cognito",
  types: ["AWS::Cognito::UserPool", "AWS::Cognito::UserPoolClient", "AWS::Cognito::UserPoolDomain"],
  endpoints(view, urlOf) {
    view.endpoints.add(`cognito-idp.${view.region}.amazonaws.com`, urlOf("cognito"));
    for (const id of view.resourcesOfType("AWS::Cognito::UserPoolDomain")) {
      view.endpoints.add(`${view.ref(id)}.auth.${view.region}.amazoncognito.com`, urlOf("cognito"));
    }
  },
  extract: (view) =>
    view.resourcesOfType("AWS::Cognito::UserPool").map((poolId) => {
      const ofPool = (type: string) =>
        view
          .resourcesOfType(type)
          .filter((id) => view.refersTo(view.resource(id).Properties?.UserPoolId, poolId));
      const clients = ofPool("AWS::Cognito::UserPoolClient").map((id) => {
        const properties = view.localProperties(id);
        const record = view.record(id);
        return {
          logicalId: id,
          clientId: record.id,
          clientSecret: properties.GenerateSecret === true ? record.attributes.ClientSecret : undefined,
          properties,
        };
      });
      const domain = ofPool("AWS::Cognito::UserPoolDomain")[0];
      return {
        logicalId: poolId,
        id: view.record(poolId).id,
        properties: view.localProperties(poolId),
        domainPrefix: domain ? view.ref(domain) : undefined,
        clients,
      };
    }),
};

/** The pools as the Cognito emulator takes them. */
export function cognitoPools(
  view: Pick<StackView, "region">,
  pools: LocalUserPool[],
): CognitoUserPoolConfig[] {
  return pools.map((pool) =>
    userPoolConfigFromTemplate({
      id: pool.id,
      region: view.region,
      properties: pool.properties,
      domainPrefix: pool.domainPrefix,
      clients: pool.clients,
    }),
  );
}
