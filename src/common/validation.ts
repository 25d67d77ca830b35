import { ArgumentMetadata, ValidationError, ValidationPipe } from '@nestjs/common';
import { DomainError, FieldError } from './errors/domain-error';

function flatten(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((e) => {
    const field = parent ? `${parent}.${e.property}` : e.property;
    const own = Object.values(e.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...flatten(e.children ?? [], field)];
  });
}

// Path parameters reach their own pipes (ParseIdPipe) as the client wrote them: the global pipe would
// otherwise turn `:id` into a number first (`+"1e3"` = 1000, `+"0x10"` = 16, `+" "` = 0), and the id
// pipe could no longer tell a clean id from garbage.
class AppValidationPipe extends ValidationPipe {
  protected override transformPrimitive(value: unknown, metadata: ArgumentMetadata): unknown {
    if (metadata.type === 'param') return value;
    return super.transformPrimitive(value, metadata);
  }
}

// 400 naming every bad field: {statusCode, message, errors:[{field, message}]}.
export function createValidationPipe(): ValidationPipe {
  return new AppValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    exceptionFactory: (errors) => {
      const fieldErrors = flatten(errors);
      return new DomainError(
        'bad_request',
        'VALIDATION_FAILED',
        fieldErrors.map((e) => `${e.field}: ${e.message}`).join('; ') || 'Validation failed',
        fieldErrors,
      );
    },
  });
}
