import type {
	ICredentialDataDecryptedObject,
	Icon,
	ICredentialType,
	IHttpRequestOptions,
	INodeProperties,
} from 'n8n-workflow';

/** A key as a header carries it: an expression may give a number, which is sent as its digits. */
function headerValue(key: unknown): string {
	return typeof key === 'string' || typeof key === 'number' ? String(key) : '';
}

export class AllsTechnologyApi implements ICredentialType {
	name = 'allsTechnologyApi';

	displayName = 'AllsTechnology API';

	icon: Icon = {
		light: 'file:../icons/allstechnology.svg',
		dark: 'file:../icons/allstechnology.dark.svg',
	};

	documentationUrl =
		'https://github.com/allstechnology/n8n-nodes-allstechnology/blob/HEAD/docs/credentials.md';

	properties: INodeProperties[] = [
		{
			displayName: 'Public Key',
			name: 'publicKey',
			type: 'string',
			default: '',
			required: true,
			description: 'The public key from your AllsTechnology account page',
		},
		{
			displayName: 'Secret Key',
			name: 'secretKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'The secret key from your AllsTechnology account page',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://mail.allstechnology.com/api',
			required: true,
			description:
				'The address of the AllsTechnology API, ending in /api (a trailing slash is fine). It must start with https://; http:// is accepted only for a test server on this machine (localhost, 127.0.0.1, [::1]). Change it only to reach another installation or a test server.',
		},
	];

	// A function, not header expressions: n8n would run its expression engine for both headers on every request.
	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		return {
			...requestOptions,
			headers: {
				...requestOptions.headers,
				PublicKey: headerValue(credentials.publicKey),
				SecretKey: headerValue(credentials.secretKey),
			},
		};
	}
}
