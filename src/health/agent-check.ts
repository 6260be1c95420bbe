// `agent-check`: a TCP agent beside the server answers one line of words ("up 75%", "drain",
// "down#disk full"). As in HAProxy, a weight (`NN%`, of the configured weight) and an admin word
// (ready/drain/maint) apply whatever else the line says, and an oper word (up/down/fail/stopped)
// moves the agent's own rise/fall counter. Failing to reach the agent, or a reply with no word we
// know, is logged and counted but never marks the server down by itself (HAProxy does the same).
import type { AdminState } from './types';
import type { ReplyJudge } from './probe';

export interface AgentReply {
  readonly weightPct: number | null;
  readonly admin: AdminState | null;
  /** 'up' / 'down' (down, fail, failed, stopped), or null when the line said neither */
  readonly oper: 'up' | 'down' | null;
  /** text after '#', for the log */
  readonly desc: string;
  /** no recognised word at all */
  readonly garbage: boolean;
}

/** HAProxy caps agent weights at 256 % of the configured weight */
const MAX_AGENT_PCT = 256;

export function parseAgentReply(line: string): AgentReply {
  const hash = line.indexOf('#');
  const desc = hash >= 0 ? line.slice(hash + 1).trim() : '';
  const words = (hash >= 0 ? line.slice(0, hash) : line).split(/[\s,]+/).filter((w) => w !== '');
  let weightPct: number | null = null;
  let admin: AdminState | null = null;
  let oper: 'up' | 'down' | null = null;
  let known = 0;
  for (const raw of words) {
    const w = raw.toLowerCase();
    const pct = /^(\d{1,5})%$/.exec(w);
    if (pct !== null) {
      weightPct = Math.min(MAX_AGENT_PCT, Number(pct[1]));
      known++;
    } else if (w === 'ready') {
      admin = 'READY';
      known++;
    } else if (w === 'drain') {
      admin = 'DRAIN';
      known++;
    } else if (w === 'maint') {
      admin = 'MAINT';
      known++;
    } else if (w === 'up') {
      oper = 'up';
      known++;
    } else if (w === 'down' || w === 'fail' || w === 'failed' || w === 'stopped') {
      oper = 'down';
      known++;
    } else if (/^maxconn:\d+$/.test(w)) {
      // HAProxy's agent can set maxconn; sluice has no runtime maxconn yet: accepted, not applied
      known++;
    }
  }
  return { weightPct, admin, oper, desc, garbage: known === 0 };
}

/** the agent's reply ends at the first newline or when it closes */
export const agentJudge: ReplyJudge = (data, ended) => {
  const nl = data.indexOf(0x0a);
  if (nl < 0 && !ended) return null;
  const line = data
    .subarray(0, nl < 0 ? data.length : nl)
    .toString('latin1')
    .replace(/\r$/, '');
  // the verdict is carried in `info`; checker.ts parses it again with parseAgentReply
  return { ok: true, status: 'L7OK', code: null, info: line };
};
