// The Hearken snippet as an external file, for pages whose CSP forbids inline scripts.
window.hearken = window.hearken || function () { (hearken.q = hearken.q || []).push(arguments) }
hearken('checkpoint', 'order_completed', { orderId: 'A-1002', amount: 59 })
