// The web ACL engine: rules by priority, terminating and counting actions, labels, managed groups, log ring.

import type { GeoLookup } from "../../geo/index.js";
import { LOCAL_ACCOUNT_ID } from "../../shared/account.js";
import { type Clock, systemClock } from "../../shared/clock.js";
import { type Logger, silentLogger } from "../../shared/log.js";
import { DecisionRing } from "./decisionRing.js";
import { EMULATED_GROUPS, NOT_EMULATED_GROUPS } from "./managedRuleGroups.js";
import type { RateCounter } from "./rateCounter.js";
import { DEFAULT_BODY_INSPECTION_LIMIT, RequestContext } from "./requestContext.js";
import { type CompiledAction, type CustomResponseBodies, compileAction } from "./ruleActions.js";
import { type CompileEnv, compileStatement, type Matcher } from "./statements.js";
import { WafConfigError, type WafDecision, type WafEngine, type WafRequest } from "./types.js";

type Obj = Record<string, unknown>;

export interface WafEngineOptions {
  /** Resolved `AWS::WAFv2::WebACL` Properties (CloudFormation shape). */
  webAcl: Record<string, unknown>;
  /** IP sets referenced by ARN, resolved to their addresses (CIDR or single IPs). */
  ipSets?: Record<string, string[]>;
  /**
   * The stack's own rule groups by ARN: resolved `AWS::WAFv2::RuleGroup` Properties, for rules with a
   * `RuleGroupReferenceStatement`.
   */
  ruleGroups?: Record<string, Record<string, unknown>>;
  clock?: Clock;
  log?: Logger;
  geo: GeoLookup;
  /** Cap on live counters per rate-based rule (default 100,000). */
  maxRateKeys?: number;
  /** Account used in rule label namespaces (default LOCAL_ACCOUNT_ID). */
  accountId?: string;
  /** Size of the decision ring (default 1000). */
  decisionLogSize?: number;
}

/** Mutable per-request state while the rules run. */
interface Evaluation {
  ctx: RequestContext;
  counted: string[];
  requestHeaders?: Record<string, string>;
}

interface Terminal {
  action: CompiledAction;
  rule: string;
  groupRule?: string;
}

type CompiledRule = (ev: Evaluation) => Terminal | undefined;

const BODY_LIMITS: Record<string, number> = {
  KB_16: 16 * 1024,
  KB_32: 32 * 1024,
  KB_48: 48 * 1024,
  KB_64: 64 * 1024,
};

function applyNonTerminating(ev: Evaluation, name: string, action: CompiledAction): void {
  ev.counted.push(name);
  if (action.insertHeaders) ev.requestHeaders = { ...ev.requestHeaders, ...action.insertHeaders };
}

function compileManagedGroup(
  rule: Obj,
  ruleName: string,
  spec: Obj,
  bodies: CustomResponseBodies,
  env: CompileEnv,
): CompiledRule {
  const where = `Rule "${ruleName}"`;
  const groupName = String(spec.Name ?? "");
  if (spec.VendorName !== "AWS" || !EMULATED_GROUPS[groupName]) {
    const reason = NOT_EMULATED_GROUPS[groupName] ?? "the kit has no local version of it";
    env.notEmulated(
      `${where}: managed rule group ${String(spec.VendorName)}/${groupName} is not emulated (${reason}); it matches nothing`,
    );
    return () => undefined;
  }
  const group = EMULATED_GROUPS[groupName]!;
  const known = new Set(group.rules.map((r) => r.name));
  const excluded = new Set(
    ((spec.ExcludedRules as Array<{ Name?: string }>) ?? []).map((r) => String(r.Name)),
  );
  const overrides = new Map<string, CompiledAction>();
  for (const o of (spec.RuleActionOverrides as Array<{ Name?: string; ActionToUse?: unknown }>) ?? []) {
    overrides.set(
      String(o.Name),
      compileAction(o.ActionToUse, bodies, `${where} override ${String(o.Name)}`, env.notEmulated),
    );
  }
  for (const name of [...excluded, ...overrides.keys()]) {
    if (!known.has(name))
      env.notEmulated(`${where}: ${groupName} has no rule named ${name} in the kit's version`);
  }
  const groupCounts = Object.keys((rule.OverrideAction as Obj | undefined) ?? {})[0] === "Count";
  const scopeDown = spec.ScopeDownStatement
    ? compileStatement(spec.ScopeDownStatement, `${where}.ScopeDown`, env)
    : undefined;
  const block: CompiledAction = { kind: "BLOCK", response: { status: 403, headers: {} } };
  const count: CompiledAction = { kind: "COUNT" };
  // ExcludedRules is the older spelling of "override this rule's action to Count".
  const rules = group.rules.map((r) => ({
    ...r,
    action: excluded.has(r.name) ? count : (overrides.get(r.name) ?? block),
  }));
  return (ev) => {
    if (scopeDown && !scopeDown(ev.ctx)) return undefined;
    for (const r of rules) {
      if (!r.matches(ev.ctx)) continue;
      ev.ctx.addLabel(r.label);
      if (r.action.kind === "COUNT" || groupCounts) {
        applyNonTerminating(ev, `${ruleName}:${r.name}`, r.action.kind === "COUNT" ? r.action : count);
        continue;
      }
      return { action: r.action, rule: ruleName, groupRule: r.name };
    }
    return undefined;
  };
}

/** What rule group references compile against: the groups by ARN and the account of label namespaces. */
interface RuleGroups {
  byArn: Record<string, Obj>;
  accountId: string;
}

/**
 * A rule that runs one of the stack's own rule groups: the group's rules by priority, each with its own
 * action and the group's custom response bodies, labels in the group's namespace
 * (`awswaf:<account>:rulegroup:<name>:`); `RuleActionOverrides` / `ExcludedRules` and the web ACL rule's
 * `OverrideAction: Count` turn terminating actions into counts, as for managed groups.
 * @see https://docs.aws.amazon.com/waf/latest/developerguide/waf-rule-statement-type-rule-group-reference.html
 */
function compileRuleGroupReference(
  rule: Obj,
  ruleName: string,
  spec: Obj,
  env: CompileEnv,
  groups: RuleGroups,
): CompiledRule {
  const where = `Rule "${ruleName}"`;
  const arn = String(spec.Arn ?? "");
  const group = Object.hasOwn(groups.byArn, arn) ? groups.byArn[arn] : undefined;
  if (!group) {
    env.notEmulated(
      `${where}: rule group ${arn} is not a rule group of this stack (not emulated); it matches nothing`,
    );
    return () => undefined;
  }
  const groupName = String(group.Name ?? "rulegroup");
  const bodies = (group.CustomResponseBodies ?? {}) as CustomResponseBodies;
  const innerRules = (group.Rules as Obj[] | undefined) ?? [];
  const known = new Set(innerRules.map((r) => String(r.Name)));
  const excluded = new Set(((spec.ExcludedRules as Obj[] | undefined) ?? []).map((r) => String(r.Name)));
  const overrides = new Map(
    ((spec.RuleActionOverrides as Obj[] | undefined) ?? []).map((o) => [String(o.Name), o.ActionToUse]),
  );
  for (const name of [...excluded, ...overrides.keys()]) {
    if (!known.has(name)) env.notEmulated(`${where}: rule group ${groupName} has no rule named ${name}`);
  }
  const priorities = new Set<number>();
  for (const inner of innerRules) {
    const priority = Number(inner.Priority);
    if (priorities.has(priority)) {
      throw new WafConfigError(`${where}: rule group ${groupName} uses Priority ${priority} twice`);
    }
    priorities.add(priority);
    const statement = (inner.Statement ?? {}) as Obj;
    if (statement.RuleGroupReferenceStatement || statement.ManagedRuleGroupStatement) {
      throw new WafConfigError(`${where}: rule group ${groupName} cannot nest a rule group`);
    }
  }
  const labelPrefix = `awswaf:${groups.accountId}:rulegroup:${groupName}:`;
  const groupCounts = Object.keys((rule.OverrideAction as Obj | undefined) ?? {})[0] === "Count";
  const scopeDown = spec.ScopeDownStatement
    ? compileStatement(spec.ScopeDownStatement, `${where}.ScopeDown`, env)
    : undefined;
  const count: CompiledAction = { kind: "COUNT" };
  const rules = [...innerRules]
    .sort((a, b) => Number(a.Priority) - Number(b.Priority))
    .map((inner) => {
      const innerName = String(inner.Name);
      const action = excluded.has(innerName) ? { Count: {} } : (overrides.get(innerName) ?? inner.Action);
      // Inner names are counted as `<web ACL rule>:<group rule>`, as for managed groups.
      return compileRule(
        { ...inner, Name: `${ruleName}:${innerName}`, Action: action },
        bodies,
        env,
        labelPrefix,
        groups,
      );
    });
  return (ev) => {
    if (scopeDown && !scopeDown(ev.ctx)) return undefined;
    for (const inner of rules) {
      const terminal = inner(ev);
      if (!terminal) continue;
      if (groupCounts) {
        applyNonTerminating(ev, terminal.rule, count);
        continue;
      }
      return { action: terminal.action, rule: ruleName, groupRule: terminal.rule.slice(ruleName.length + 1) };
    }
    return undefined;
  };
}

function compileRule(
  rule: Obj,
  bodies: CustomResponseBodies,
  env: CompileEnv,
  labelPrefix: string,
  groups: RuleGroups,
): CompiledRule {
  const name = String(rule.Name ?? "");
  const where = `Rule "${name}"`;
  const statement = (rule.Statement ?? {}) as Obj;
  if (statement.ManagedRuleGroupStatement) {
    return compileManagedGroup(rule, name, statement.ManagedRuleGroupStatement as Obj, bodies, env);
  }
  if (statement.RuleGroupReferenceStatement) {
    return compileRuleGroupReference(rule, name, statement.RuleGroupReferenceStatement as Obj, env, groups);
  }
  const matches: Matcher = compileStatement(statement, where, env);
  const action = compileAction(rule.Action, bodies, where, env.notEmulated);
  const labels = ((rule.RuleLabels as Array<{ Name?: string }>) ?? []).map(
    (l) => `${labelPrefix}${String(l.Name)}`,
  );
  return (ev) => {
    if (!matches(ev.ctx)) return undefined;
    for (const label of labels) ev.ctx.addLabel(label);
    if (action.kind === "COUNT") {
      applyNonTerminating(ev, name, action);
      return undefined;
    }
    return { action, rule: name };
  };
}

function bodyInspectionLimit(webAcl: Obj): number {
  const cloudFront = ((webAcl.AssociationConfig as Obj | undefined)?.RequestBody as Obj | undefined)
    ?.CLOUDFRONT as Obj | undefined;
  const limit = cloudFront?.DefaultSizeInspectionLimit;
  return limit === undefined
    ? DEFAULT_BODY_INSPECTION_LIMIT
    : (BODY_LIMITS[String(limit)] ?? DEFAULT_BODY_INSPECTION_LIMIT);
}

/**
 * Compiles a web ACL once into closures and returns an engine that evaluates viewer requests.
 * @throws WafConfigError when the web ACL is invalid (bad regex, unknown action, missing custom body...).
 * @see https://docs.aws.amazon.com/waf/latest/developerguide/web-acl-rule-actions.html
 */
export function createWafEngine(options: WafEngineOptions): WafEngine {
  const webAcl = options.webAcl;
  const log = options.log ?? silentLogger;
  const clock = options.clock ?? systemClock;
  const notEmulated: string[] = [];
  const rateCounters: RateCounter[] = [];
  const env: CompileEnv = {
    geo: options.geo,
    ipSets: options.ipSets ?? {},
    clock,
    maxRateKeys: options.maxRateKeys ?? 100_000,
    rateCounters,
    notEmulated: (line) => {
      if (!notEmulated.includes(line)) notEmulated.push(line);
    },
  };
  const bodies = (webAcl.CustomResponseBodies ?? {}) as CustomResponseBodies;
  const accountId = options.accountId ?? LOCAL_ACCOUNT_ID;
  const labelPrefix = `awswaf:${accountId}:webacl:${String(webAcl.Name ?? "webacl")}:`;
  const groups: RuleGroups = { byArn: options.ruleGroups ?? {}, accountId };
  const ruleList = (webAcl.Rules as Obj[] | undefined) ?? [];
  const priorities = new Set<number>();
  for (const rule of ruleList) {
    const priority = Number(rule.Priority);
    if (priorities.has(priority))
      throw new WafConfigError(`Rule "${String(rule.Name)}": Priority ${priority} is used twice`);
    priorities.add(priority);
  }
  const rules = [...ruleList]
    .sort((a, b) => Number(a.Priority) - Number(b.Priority))
    .map((rule) => compileRule(rule, bodies, env, labelPrefix, groups));
  if (!webAcl.DefaultAction) throw new WafConfigError("The web ACL has no DefaultAction");
  const defaultAction = compileAction(webAcl.DefaultAction, bodies, "DefaultAction", env.notEmulated);
  if (defaultAction.kind === "COUNT") throw new WafConfigError("DefaultAction must be Allow or Block");
  const bodyLimit = bodyInspectionLimit(webAcl);
  const ring = new DecisionRing(options.decisionLogSize ?? 1000);

  return {
    notEmulated,
    recentDecisions: (limit) => ring.recent(limit),
    rateKeyCount: () => rateCounters.reduce((sum, c) => sum + c.size, 0),
    evaluate(req: WafRequest): WafDecision {
      const ev: Evaluation = { ctx: new RequestContext(req, bodyLimit), counted: [] };
      let terminal: Terminal | undefined;
      for (const rule of rules) {
        terminal = rule(ev);
        if (terminal) break;
      }
      const action = terminal?.action ?? defaultAction;
      if (action.kind === "ALLOW" && action.insertHeaders) {
        ev.requestHeaders = { ...ev.requestHeaders, ...action.insertHeaders };
      }
      const decision: WafDecision = {
        action: action.kind === "BLOCK" ? "BLOCK" : "ALLOW",
        labels: ev.ctx.labels,
        countedRules: ev.counted,
      };
      if (terminal) decision.terminatingRule = terminal.rule;
      if (terminal?.groupRule) decision.terminatingRuleGroupRule = terminal.groupRule;
      if (action.kind === "BLOCK") decision.response = action.response;
      else if (ev.requestHeaders) decision.requestHeaders = ev.requestHeaders;
      ring.push({
        time: new Date(clock.now()).toISOString(),
        clientIp: req.clientIp,
        country: req.country,
        method: req.method,
        uri: req.uri,
        action: decision.action,
        terminatingRule: decision.terminatingRule,
        terminatingRuleGroupRule: decision.terminatingRuleGroupRule,
        countedRules: decision.countedRules,
        labels: decision.labels,
      });
      if (decision.action === "BLOCK") {
        log.debug("WAF blocked a request", {
          rule: decision.terminatingRule,
          uri: req.uri,
          clientIp: req.clientIp,
        });
      }
      return decision;
    },
  };
}
