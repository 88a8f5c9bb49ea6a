import type {
	IAuthenticateGeneric,
	Icon,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

export class AllsTechnologyApi implements ICredentialType {
	name = 'allsTechnologyApi';

	displayName = 'AllsTechnology API';

	icon: Icon = {
		light: 'file:../icons/allstechnology.svg',
		dark: 'file:../icons/allstechnology.dark.svg',
	};

	documentationUrl = 'https://github.com/allstechnology/n8n-nodes-allstechnology#credentials';

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

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: {
				PublicKey: '={{$credentials.publicKey}}',
				SecretKey: '={{$credentials.secretKey}}',
			},
		},
	};
}
