// The shapes the console server sends (type-only imports: nothing of the kit is bundled into the page).
import type { consoleState } from "../../consoleServer.js";
import type { HistoryBatch } from "../../eventStream.js";
import type { ConsoleInvocation, HistoryLimits } from "../../history.js";

export type { EdgeRequestRecord } from "../../../edge/index.js";
export type { FunctionLogLine } from "../../../lambda/activity.js";
export type { InstanceCounts } from "../../../lambda/index.js";
export type { CognitoView, DeploymentView, FunctionView, WafRuleView, WafView } from "../../views.js";
export type { ConsoleInvocation, HistoryBatch, HistoryLimits };

export type ConsoleState = ReturnType<typeof consoleState>;

export interface Snapshot extends ConsoleState {
  history: Omit<HistoryBatch, "instances"> & { instances: HistoryBatch["instances"] };
  limits: HistoryLimits;
}
