import { AppError } from "../core/errors.ts";
import type { GroupSummary } from "./model.ts";

/**
 * Which existing group is the policy's: the pinned id, else the one group whose description is
 * the policy's. Several with the same description is refused rather than guessed.
 */
export function findPolicyGroup(groups: readonly GroupSummary[], want: { description: string; groupId?: string | undefined }): GroupSummary | null {
  if (want.groupId !== undefined && want.groupId !== "") {
    const pinned = groups.find((g) => g.id === want.groupId);
    if (pinned === undefined) {
      throw new AppError("GROUP_AMBIGUOUS", `firewall.groupId ${want.groupId} does not exist at the provider`, {
        hint: "remove firewall.groupId to create or adopt the group by its description, or fix the id",
      });
    }
    return pinned;
  }
  const matches = groups.filter((g) => g.description === want.description);
  if (matches.length > 1) {
    throw new AppError("GROUP_AMBIGUOUS", `${matches.length} firewall groups are described "${want.description}": ${matches.map((g) => g.id).join(", ")}`, {
      hint: "set firewall.groupId in nodeward.yaml to the one nodeward should manage",
    });
  }
  return matches[0] ?? null;
}
