/**
 * zValidator with our hook: a failed validation throws an ApiError naming the
 * field, so the 400 body has the same shape as every other error (without a
 * hook the raw zod result would become the response).
 */
import { zValidator } from '@hono/zod-validator';
import type { ValidationTargets } from 'hono';
import type { z } from 'zod';
import { ApiError, type ErrorDetail } from '../errors.js';

type Target = keyof ValidationTargets;

function describeTarget(target: Target): string {
  if (target === 'query') return 'query parameter';
  if (target === 'param') return 'path parameter';
  if (target === 'header') return 'header';
  return 'field';
}

function pathOf(issue: z.core.$ZodIssue): string {
  return issue.path.map(String).join('.');
}

/** The first problem becomes `field` + `message`; every problem is listed in `details`. */
export function toValidationError(error: z.core.$ZodError, target: Target): ApiError {
  const details: ErrorDetail[] = [];
  for (const issue of error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) details.push({ path: key, message: `unknown ${describeTarget(target)}` });
    } else {
      details.push({ path: pathOf(issue) || target, message: issue.message });
    }
  }
  const first = details[0] ?? { path: target, message: 'invalid request' };
  const field = first.path.split('.')[0] ?? first.path;
  const message = first.message.startsWith('unknown ')
    ? `Unknown ${describeTarget(target)} "${field}".`
    : `Invalid ${describeTarget(target)} "${field}": ${first.message}`;
  return new ApiError('validation_failed', message, { field, details });
}

export function validate<T extends z.ZodType, Tg extends Target>(target: Tg, schema: T) {
  return zValidator(target, schema, (result) => {
    if (!result.success) throw toValidationError(result.error, target);
  });
}
