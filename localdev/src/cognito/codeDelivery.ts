// Where Cognito says it sent a code: CodeDeliveryDetails with the masked email, as SignUp and friends answer.

/** `a***@e***`: the first letter of the local part and of the domain, as Cognito masks a destination. */
export function maskEmail(email: string): string {
  return `${email[0]}***@${email.split("@")[1]?.[0] ?? ""}***`;
}

/** CodeDeliveryDetails for a code sent by email, or undefined when the user has no email. */
export function emailCodeDelivery(email: string | undefined) {
  return email
    ? {
        CodeDeliveryDetails: {
          Destination: maskEmail(email),
          DeliveryMedium: "EMAIL",
          AttributeName: "email",
        },
      }
    : undefined;
}
