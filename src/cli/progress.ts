import type { ApplyEvent } from "../firewall/apply.ts";
import { oneLine } from "../core/safe-text.ts";
import { describeRule } from "../firewall/rule.ts";
import type { Io } from "./io.ts";

/**
 * Apply's progress on stderr: one line rewritten in place on a terminal, plain lines elsewhere
 * (attachments reported every 10 %, so a 1,000-instance apply logs ~10 lines, not 1,000).
 */
export function applyProgress(io: Io): { onEvent: (e: ApplyEvent) => void; done: () => void } {
  const s = io.errStyle;
  const live = io.stderrIsTTY && !io.quiet;
  let open = false;
  const line = (t: string) => {
    if (io.quiet) return;
    if (open) io.err("");
    open = false;
    io.err(t);
  };
  const status = (t: string, step: number, total: number) => {
    if (io.quiet) return;
    if (live) {
      io.live(t);
      open = true;
    } else if (step === total || step % Math.max(1, Math.ceil(total / 10)) === 0) {
      io.err(t);
    }
  };
  return {
    onEvent: (e) => {
      switch (e.kind) {
        case "group-created":
          return line(`${s.green("+")} created group "${oneLine(e.description)}" (${oneLine(e.groupId)})`);
        case "rule-created":
          return line(`${s.green("+")} added rule ${oneLine(describeRule(e.rule))}`);
        case "rules-verified":
          return line(`${s.green("✓")} read back: all ${e.count} rules present on the group`);
        case "attach-sent":
          return status(`${s.yellow("~")} attaching ${e.done}/${e.total} (${oneLine(e.label)})`, e.done, e.total);
        case "attach-visible":
          if (e.visible === e.total) return line(`${s.green("✓")} all ${e.total} attachments visible`);
          return status(`  waiting: ${e.visible}/${e.total} attachments visible`, e.visible, e.total + 1);
        case "rule-deleted":
          return line(`${s.red("-")} removed rule ${oneLine(describeRule(e.rule))}`);
      }
    },
    done: () => {
      if (open) io.err("");
      open = false;
    },
  };
}
