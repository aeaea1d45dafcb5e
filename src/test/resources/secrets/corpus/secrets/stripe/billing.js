const Stripe = require('stripe');
const stripe = Stripe('sk_live_1wHvRYsSkT4zEBhFbYQ2tWg2');
const reports = Stripe("rk_live_gOfNpA6GuzFNPWqVVdzvkVtf");
