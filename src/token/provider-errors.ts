/**
 * What an identity provider's own error codes mean for the bundle: Entra ID puts an `AADSTS…` code
 * at the start of every `error_description`, and the common ones each point at one variable.
 * @module
 */

/** What one provider code says: which variable to change, and whether the client was refused. */
export interface ProviderHint {
  readonly text: string
  /** The client's credentials were refused, whatever the status: an `InvalidClientError`. */
  readonly invalidClient?: true
}

const ENTRA: Readonly<Record<string, ProviderHint>> = {
  AADSTS7000215: {
    text: "Entra ID refused the secret: set CAMUNDA_CLIENT_SECRET (or ZEEBE_CLIENT_SECRET) to the secret's value, not its ID",
    invalidClient: true,
  },
  AADSTS7000222: {
    text: 'the client secret has expired: create a new one and set CAMUNDA_CLIENT_SECRET (or ZEEBE_CLIENT_SECRET)',
    invalidClient: true,
  },
  AADSTS700016: {
    text: 'no application with this client id in the tenant: check CAMUNDA_CLIENT_ID (or ZEEBE_CLIENT_ID) and the tenant in CAMUNDA_OAUTH_URL',
    invalidClient: true,
  },
  AADSTS700027: {
    text: 'the client assertion was refused: check that CAMUNDA_CLIENT_ASSERTION_KEY belongs to the certificate registered for the app (CAMUNDA_CLIENT_ASSERTION_CERT_THUMBPRINT)',
    invalidClient: true,
  },
  AADSTS500011: { text: 'the resource in the scope is not in this tenant: check CAMUNDA_TOKEN_SCOPE (api://<application id>/.default)' },
  AADSTS1002012: { text: 'client credentials take only <resource>/.default scopes: check CAMUNDA_TOKEN_SCOPE' },
  AADSTS900144: { text: 'no scope was sent: set CAMUNDA_TOKEN_SCOPE (api://<application id>/.default)' },
  AADSTS90002: { text: 'the tenant in CAMUNDA_OAUTH_URL does not exist' },
}

/** The hint for `code`, if it is one this package knows. */
export function providerHint(code: string | undefined): ProviderHint | undefined {
  return code !== undefined && Object.hasOwn(ENTRA, code) ? ENTRA[code] : undefined
}
