/** Signing secrets shared by the test receiver (Node) and the alert tests (workerd). */
export const SECRETS = { json: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', dingtalk: 'SECdingtalk-secret', feishu: 'feishu-secret' }
