import {
  mapError,
  NotFoundError,
  ValidationError,
  ForbiddenError,
  UnauthenticatedError,
  ConflictError,
  RateLimitedError,
} from '../src/kernel/errors';

describe('the error mapper', () => {
  it.each([
    [new ValidationError([{ path: 'query.limit', message: 'bad' }]), 400, 'VALIDATION_FAILED'],
    [new UnauthenticatedError(), 401, 'UNAUTHENTICATED'],
    [new ForbiddenError(), 403, 'FORBIDDEN'],
    [new NotFoundError('Product'), 404, 'NOT_FOUND'],
    [new ConflictError('taken'), 409, 'CONFLICT'],
    [new RateLimitedError(), 429, 'RATE_LIMITED'],
  ])('maps %p to its status and code', (err, status, code) => {
    const m = mapError(err, 'req-1');
    expect(m.status).toBe(status);
    expect(m.problem.code).toBe(code);
    expect(m.problem.requestId).toBe('req-1');
  });

  it('answers an unexpected error with a bare 500: no message, stack or SQL', () => {
    const err = new Error("ER_PARSE_ERROR near 'SELECT * FROM buyers WHERE password = ...'");
    const m = mapError(err);
    expect(m.status).toBe(500);
    expect(m.unexpected).toBe(true);
    const text = JSON.stringify(m.problem);
    expect(text).not.toMatch(/SELECT|ER_PARSE|password|at .*:\d+/);
  });

  it('answers 503 when the database cannot be reached', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:13306'), { code: 'ECONNREFUSED' });
    expect(mapError(refused).status).toBe(503);
    const wrapped = Object.assign(new Error('Query failed'), { driverError: { code: 'PROTOCOL_CONNECTION_LOST' } });
    expect(mapError(wrapped)).toMatchObject({ status: 503, problem: { code: 'DEPENDENCY_UNAVAILABLE' } });
  });
});
