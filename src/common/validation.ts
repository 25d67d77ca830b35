import { ValidationError, ValidationPipe } from '@nestjs/common';
import { DomainError, FieldError } from './errors/domain-error';

function flatten(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((e) => {
    const field = parent ? `${parent}.${e.property}` : e.property;
    const own = Object.values(e.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...flatten(e.children ?? [], field)];
  });
}

// 400 naming every bad field: {statusCode, message, errors:[{field, message}]}.
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
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
