// Error panel shown instead of the page when /config.json cannot be loaded or is invalid.
import { texts } from "../messages.js";

export function ConfigErrorPanel({ message }: { message: string }) {
  return (
    <section role="alert" className="config-error" aria-labelledby="config-error-heading">
      <h1 id="config-error-heading">{texts.configErrorHeading}</h1>
      <p className="config-error-detail">{message}</p>
      <p className="config-error-hint">{texts.configErrorHint}</p>
    </section>
  );
}
