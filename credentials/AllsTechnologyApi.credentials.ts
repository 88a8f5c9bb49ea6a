import type {
	IAuthenticateGeneric,
	Icon,
	ICredentialTestRequest,
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
				'The address of the AllsTechnology API, with or without a trailing slash. Change it only to reach another installation or a test server.',
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

	// The API may refuse keys with HTTP 200 and "status": "failed", so the body is checked as well as the code.
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl.replace(/\\/+$/, "")}}',
			url: '/automations',
			method: 'GET',
		},
		rules: [
			{
				type: 'responseSuccessBody',
				properties: {
					key: 'status',
					value: 'failed',
					message:
						'AllsTechnology refused the public key or secret key. Copy both again from your AllsTechnology account page.',
				},
			},
		],
	};
}
