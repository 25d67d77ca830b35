import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 200;
// Far beyond any real list, and small enough that (page - 1) * pageSize stays an exact integer that
// both databases accept as OFFSET (a bigger page would reach SQL as 1e+21 and fail).
export const MAX_PAGE = 1_000_000_000;

/** An optional integer query parameter from 1 (a filter by id, e.g. `?organizerId`): else a 400 naming it. */
export function OptionalIntQuery(): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({ minimum: 1 }),
    IsOptional(),
    Type(() => Number),
    IsInt(),
    Min(1),
    Max(Number.MAX_SAFE_INTEGER),
  );
}

// `?page&pageSize` of every list (DESIGN §5): page from 1, pageSize 1–200 (default 50); anything
// else is a 400 naming the parameter.
export class PageQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: MAX_PAGE, default: 1 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE)
  page: number = 1;

  @ApiPropertyOptional({ minimum: 1, maximum: MAX_PAGE_SIZE, default: DEFAULT_PAGE_SIZE })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  pageSize: number = DEFAULT_PAGE_SIZE;
}

export interface Page<T> {
  items: T[];
  page: number;
  pageSize: number;
  total: number;
}

/** One page of an in-memory list (short lists only: organizers, folders). */
export function pageOf<T>(all: T[], query: PageQueryDto): Page<T> {
  const start = (query.page - 1) * query.pageSize;
  return {
    items: all.slice(start, start + query.pageSize),
    page: query.page,
    pageSize: query.pageSize,
    total: all.length,
  };
}
