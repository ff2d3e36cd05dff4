import { usdValueOf } from './exchange.js';
import type { MoneyButtonPayment, MoneyButtonPaymentOutput, MoneyButtonUser } from './fixtures.js';

/** JSON:API resource objects of API v1 as moneybutton-public.md §3 records them; kebab-case attributes. */

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
      'created-at': user.createdAt,
      name: user.name,
      'default-currency': user.defaultCurrency,
      'default-language': user.defaultLanguage,
      bio: user.bio,
      'primary-paymail': user.primaryPaymail,
      'avatar-url': user.avatarUrl,
    },
  };
}

/** Type `amounts`, with a UUID of its own (not the user's id). */
export function balanceResource(user: MoneyButtonUser, satoshis: bigint) {
  return {
    type: 'amounts',
    id: user.balanceId,
    attributes: { amount: usdValueOf(satoshis), currency: 'USD', satoshis: satoshis.toString() },
  };
}

export function paymentResource(payment: MoneyButtonPayment) {
  return {
    type: 'payments',
    id: payment.id,
    // Every value a string (or null), as in the record's examples.
    attributes: {
      'created-at': payment.createdAt,
      'user-id': payment.userId,
      txid: payment.txid,
      'normalized-txid': payment.txid,
      amount: payment.amount,
      currency: payment.currency,
      satoshis: payment.satoshis,
      status: payment.status,
      'status-description': payment.statusDescription,
      'button-id': payment.buttonId,
      'button-data': payment.buttonData,
      'amount-usd': String(usdValueOf(BigInt(payment.satoshis))),
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
      'created-at': payment.createdAt,
      to: output.to,
      amount: output.amount,
      currency: output.currency,
      satoshis: output.satoshis,
      type: output.userId === null ? 'PAYMAIL' : 'USER',
      'user-id': output.userId,
      address: null,
      script: null,
      'amount-usd': String(usdValueOf(BigInt(output.satoshis))),
      'user-paymail': output.userId === null ? null : output.to,
    },
  };
}

/** The payment-outputs of the given payments, for the top-level `included` member. */
export function includedOutputs(payments: ReadonlyArray<MoneyButtonPayment>) {
  return payments.flatMap((payment) => payment.outputs.map((output) => paymentOutputResource(output, payment)));
}
