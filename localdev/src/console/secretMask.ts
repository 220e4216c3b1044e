// The last step before anything reaches the console page: known secret values and token-shaped strings masked.

/** JWTs (access, ID tokens) and Cognito's encrypted refresh tokens (JWE, five parts). */
const TOKEN = /eyJ[A-Za-z0-9_-]{8,}(?:\.[A-Za-z0-9_-]*){2,4}/g;
export const MASK = "••••••";

/**
 * Masks every occurrence of `secrets` (the client secrets, the origin secret, SecureString values) and every
 * token-shaped string in `text`. Secrets shorter than 8 characters are ignored (too likely to hit ordinary text).
 */
export function createSecretMask(secrets: () => Iterable<string>): (text: string) => string {
  return (text) => {
    let out = text.replace(TOKEN, MASK);
    for (const secret of secrets()) {
      if (secret.length >= 8 && out.includes(secret)) out = out.split(secret).join(MASK);
    }
    return out;
  };
}
