import { usdValueOf } from './exchange.js';
import type { MoneyButtonPayment, MoneyButtonPaymentOutput, MoneyButtonUser } from './fixtures.js';

/** JSON:API resource objects of API v1; attribute names are kebab-case (NOTES.md). */

interface ResourceIdentifier {
  readonly type: string;
  readonly id: string;
}

interface Resource<Attributes> extends ResourceIdentifier {
  readonly attributes: Attributes;
}

export function userIdentityResource(user: MoneyButtonUser): Resource<{ id: string; name: string }> {
  return { type: 'user_identities', id: user.id, attributes: { id: user.id, name: user.name } };
}

export function profileResource(user: MoneyButtonUser) {
  return {
    type: 'profiles',
    id: user.id,
    attributes: {
      name: user.name,
      'avatar-url': user.avatarUrl,
      'primary-paymail': user.primaryPaymail,
      bio: user.bio,
    },
  };
}

export function balanceResource(user: MoneyButtonUser, satoshis: bigint) {
  return {
    type: 'balances',
    id: user.id,
    attributes: { amount: usdValueOf(satoshis), currency: 'USD', satoshis: satoshis.toString() },
  };
}

export function paymentResource(payment: MoneyButtonPayment) {
  return {
    type: 'payments',
    id: payment.id,
    attributes: {
      status: payment.status,
      'double-spent': payment.doubleSpent,
      txid: payment.txid,
      amount: payment.amount,
      currency: payment.currency,
      satoshis: payment.satoshis,
      from: payment.from,
      'user-id': payment.userId,
      'created-at': payment.createdAt,
      'updated-at': payment.updatedAt,
    },
    relationships: {
      'payment-outputs': {
        data: payment.outputs.map((output): ResourceIdentifier => ({ type: 'payment-outputs', id: output.id })),
      },
    },
  };
}

export function paymentOutputResource(output: MoneyButtonPaymentOutput, payment: MoneyButtonPayment) {
  return {
    type: 'payment-outputs',
    id: output.id,
    attributes: {
      to: output.to,
      'user-id': output.userId,
      amount: output.amount,
      currency: output.currency,
      satoshis: output.satoshis,
      'payment-id': payment.id,
    },
  };
}

/** The payment-outputs of the given payments, for the top-level `included` member. */
export function includedOutputs(payments: ReadonlyArray<MoneyButtonPayment>) {
  return payments.flatMap((payment) => payment.outputs.map((output) => paymentOutputResource(output, payment)));
}
