import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { RPC_ERROR_CODES } from '../../src/core/error-codes';
import {
  AbortError,
  ConnectionClosedError,
  createRpcError,
  FormatViolationError,
  GenericError,
  InternalError,
  isRpcErrorCode,
  MessageTypeNotSupportedError,
  NotImplementedError,
  NotSupportedError,
  OccurrenceConstraintViolationError,
  PropertyConstraintViolationError,
  ProtocolError,
  QueueFullError,
  RPC_ERROR_CLASSES,
  RpcError,
  RpcFrameworkError,
  SecurityError,
  TimeoutError,
  TypeConstraintViolationError,
  ValidationError,
} from '../../src/core/errors';

describe('RpcError classes', () => {
  const expectedNames: Record<string, string> = {
    FormatViolation: 'FormatViolationError',
    GenericError: 'GenericError',
    InternalError: 'InternalError',
    MessageTypeNotSupported: 'MessageTypeNotSupportedError',
    NotImplemented: 'NotImplementedError',
    NotSupported: 'NotSupportedError',
    OccurrenceConstraintViolation: 'OccurrenceConstraintViolationError',
    PropertyConstraintViolation: 'PropertyConstraintViolationError',
    ProtocolError: 'ProtocolError',
    RpcFrameworkError: 'RpcFrameworkError',
    SecurityError: 'SecurityError',
    TypeConstraintViolation: 'TypeConstraintViolationError',
  };

  test('one class per canonical code, mapped by one table in both directions', () => {
    assert.deepEqual(Object.keys(RPC_ERROR_CLASSES).sort(), [...RPC_ERROR_CODES].sort());
    for (const code of RPC_ERROR_CODES) {
      const Class = RPC_ERROR_CLASSES[code];
      const direct = new Class({ description: 'd' });
      assert.equal(direct.code, code, 'class -> code');
      assert.equal(direct.name, expectedNames[code]);
      const created = createRpcError(code, { description: 'desc', details: { a: 1 } });
      assert.ok(created instanceof Class, 'code -> class');
      assert.ok(created instanceof RpcError);
      assert.ok(created instanceof Error);
      assert.equal(created.code, code);
      assert.equal(created.description, 'desc');
      assert.deepEqual(created.details, { a: 1 });
    }
  });

  test('the exported classes are the ones in the table', () => {
    assert.equal(RPC_ERROR_CLASSES.FormatViolation, FormatViolationError);
    assert.equal(RPC_ERROR_CLASSES.GenericError, GenericError);
    assert.equal(RPC_ERROR_CLASSES.InternalError, InternalError);
    assert.equal(RPC_ERROR_CLASSES.MessageTypeNotSupported, MessageTypeNotSupportedError);
    assert.equal(RPC_ERROR_CLASSES.NotImplemented, NotImplementedError);
    assert.equal(RPC_ERROR_CLASSES.NotSupported, NotSupportedError);
    assert.equal(RPC_ERROR_CLASSES.OccurrenceConstraintViolation, OccurrenceConstraintViolationError);
    assert.equal(RPC_ERROR_CLASSES.PropertyConstraintViolation, PropertyConstraintViolationError);
    assert.equal(RPC_ERROR_CLASSES.ProtocolError, ProtocolError);
    assert.equal(RPC_ERROR_CLASSES.RpcFrameworkError, RpcFrameworkError);
    assert.equal(RPC_ERROR_CLASSES.SecurityError, SecurityError);
    assert.equal(RPC_ERROR_CLASSES.TypeConstraintViolation, TypeConstraintViolationError);
  });

  test('item 11: an unknown code gives a plain RpcError keeping the code as received', () => {
    const e = createRpcError('VendorSpecificError', { description: 'x' });
    assert.equal(Object.getPrototypeOf(e), RpcError.prototype);
    assert.equal(e.code, 'VendorSpecificError');
    assert.equal(e.name, 'RpcError');
  });

  test('codes that are Object.prototype members are not mistaken for classes', () => {
    for (const code of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) {
      const e = createRpcError(code);
      assert.equal(Object.getPrototypeOf(e), RpcError.prototype, code);
      assert.equal(e.code, code);
      assert.equal(isRpcErrorCode(code), false);
    }
  });

  test('item 8: description defaults to "" and details to {}', () => {
    const e = new NotSupportedError();
    assert.equal(e.description, '');
    assert.deepEqual(e.details, {});
    assert.equal(e.message, 'NotSupported');
    assert.equal(new NotSupportedError({ description: 'no reset' }).message, 'NotSupported: no reset');
    assert.deepEqual(new GenericError({ description: 'x', details: [] as never }).details, {}, 'non-object details are replaced by {}');
  });

  test('carries messageId, action and cause when given', () => {
    const cause = new Error('root');
    const e = createRpcError('InternalError', { description: 'boom', details: {}, messageId: 'm1', action: 'Reset', cause });
    assert.equal(e.messageId, 'm1');
    assert.equal(e.action, 'Reset');
    assert.equal(e.cause, cause);
    assert.equal(Object.prototype.hasOwnProperty.call(new GenericError(), 'messageId'), false);
    assert.equal('cause' in new GenericError(), false, 'no cause unless given');
  });

  test('every error class takes one init object; a description passed as a string is refused with a TypeError', () => {
    const base = new RpcError({ code: 'VendorX', description: 'd', details: { a: 1 }, messageId: 'm', action: 'Reset' });
    assert.deepEqual([base.code, base.description, base.details, base.messageId, base.action, base.name], ['VendorX', 'd', { a: 1 }, 'm', 'Reset', 'RpcError']);
    for (const Class of Object.values(RPC_ERROR_CLASSES)) {
      assert.throws(
        () => new Class('old style' as never),
        (e: unknown) => e instanceof TypeError && /take an init object/.test(e.message),
        Class.name,
      );
    }
    const cause = new Error('root');
    assert.equal(new QueueFullError({ limit: 1, action: 'Heartbeat', cause }).cause, cause);
  });
});

describe('local failures', () => {
  test('TimeoutError names action, message id, peer and timeout', () => {
    const e = new TimeoutError({ action: 'Reset', messageId: '1f0e', identity: 'CP001', timeoutMs: 30000 });
    assert.equal(e.name, 'TimeoutError');
    assert.equal(e.message, 'Reset call 1f0e to CP001 timed out after 30000 ms');
    assert.equal(e.action, 'Reset');
    assert.equal(e.messageId, '1f0e');
    assert.equal(e.identity, 'CP001');
    assert.equal(e.timeoutMs, 30000);
    assert.equal(new TimeoutError({ action: 'Reset', messageId: 'x', timeoutMs: 5 }).message, 'Reset call x timed out after 5 ms');
    assert.ok(e instanceof Error);
  });

  test('ConnectionClosedError carries code, reason, and the call when it concerns one', () => {
    const e = new ConnectionClosedError({ code: 1006, reason: '', action: 'Reset', messageId: 'm' });
    assert.equal(e.name, 'ConnectionClosedError');
    assert.equal(e.code, 1006);
    assert.equal(e.reason, '');
    assert.equal(e.action, 'Reset');
    assert.equal(e.messageId, 'm');
    assert.match(e.message, /Reset call m not answered: connection closed \(1006\)/);
    const plain = new ConnectionClosedError({ code: 1000, reason: 'bye' });
    assert.equal(plain.message, 'connection closed (1000 "bye")');
    const cause = new Error('socket');
    assert.equal(new ConnectionClosedError({ code: 1006, reason: '', cause }).cause, cause);
  });

  test('ValidationError carries direction, kind, action, code, detail and message id', () => {
    const e = new ValidationError({
      direction: 'outbound',
      kind: 'request',
      action: 'Reset',
      code: 'PropertyConstraintViolation',
      detail: '/type: bad',
      messageId: 'm',
    });
    assert.equal(e.name, 'ValidationError');
    assert.equal(e.message, 'invalid outbound Reset request: /type: bad');
    assert.deepEqual(
      { d: e.direction, k: e.kind, a: e.action, c: e.code, t: e.detail, m: e.messageId },
      { d: 'outbound', k: 'request', a: 'Reset', c: 'PropertyConstraintViolation', t: '/type: bad', m: 'm' },
    );
  });

  test('AbortError chains the signal reason as cause', () => {
    const controller = new AbortController();
    controller.abort(new Error('user gave up'));
    const e = new AbortError({ action: 'Reset', messageId: 'm', cause: controller.signal.reason });
    assert.equal(e.name, 'AbortError');
    assert.equal(e.cause, controller.signal.reason);
    assert.equal(e.message, 'Reset call m aborted');
  });

  test('QueueFullError carries the limit', () => {
    const e = new QueueFullError({ limit: 10, action: 'Heartbeat' });
    assert.equal(e.name, 'QueueFullError');
    assert.equal(e.limit, 10);
    assert.equal(e.action, 'Heartbeat');
  });

  test('stack traces start with the class name', () => {
    assert.match(new TimeoutError({ action: 'A', messageId: 'm', timeoutMs: 1 }).stack ?? '', /^TimeoutError: /);
    assert.match(new NotSupportedError({ description: 'x' }).stack ?? '', /^NotSupportedError: NotSupported: x/);
  });
});
