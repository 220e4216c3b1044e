// Corner badge telling the developer the page runs against the local kit, with the simulated viewer country.
import { localBadgeText } from "../messages.js";

export function LocalBadge({ viewerCountry }: { viewerCountry: string }) {
  return (
    <p className="local-badge" title="Served by the furl-kit local dev kit">
      {localBadgeText(viewerCountry)}
    </p>
  );
}
