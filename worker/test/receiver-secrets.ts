/** Robot signing secrets shared by the test receiver (Node) and the alert tests (workerd), shaped like the platforms' own. */
export const SECRETS = { dingtalk: 'SEC4c1b9e0b5d3a7f2e8c6b4a29d0e1f3a5b7c9d2e4f6a8b0c1d3e5f7a9b2c4d6e8f0', feishu: 'k3ZJ8dGnA6nX9ta5wFQDXe' }
