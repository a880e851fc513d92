"""Every bank `sql` question gets the same verdict on PostgreSQL as in the sandbox."""

from __future__ import annotations

import asyncio

import asyncpg
import pytest

from bot.adapters.sql_sandbox import SOLUTION_SECONDS, SandboxError, SqlSandbox
from bot.banks.loader import load_banks
from bot.banks.location import bundled_questions_dir
from bot.banks.schema import Question, QuestionType
from bot.domain.sql_results import QueryResult, normalise_rows, same_rows
from tests.conftest import fresh_postgres_database

pytestmark = pytest.mark.postgres


class PostgresDatasets:
    """Each dataset script loaded as it is into a schema of its own (they are plain SQL)."""

    def __init__(self, connection: asyncpg.Connection) -> None:
        self.connection = connection

    async def run(self, dataset: str, query: str) -> QueryResult:
        connection = self.connection
        async with connection.transaction():
            await connection.execute(f'SET LOCAL search_path TO "{dataset}"')
            statement = await connection.prepare(query)
            records = await statement.fetch()
            columns = tuple(attribute.name for attribute in statement.get_attributes())
        return QueryResult(columns, normalise_rows([tuple(record) for record in records]))


def sql_questions() -> tuple[list[Question], dict[str, str]]:
    result = load_banks(bundled_questions_dir())
    assert result.problems == [], "\n".join(map(str, result.problems))
    questions = [q for q in result.catalog.questions() if q.type is QuestionType.SQL]
    assert questions
    return questions, dict(result.catalog.datasets)


async def test_every_bank_sql_question_grades_the_same_on_postgresql_and_in_the_sandbox() -> None:
    questions, datasets = sql_questions()
    sandbox = SqlSandbox(datasets)
    async with fresh_postgres_database() as url:
        connection = await asyncpg.connect(url.replace("postgresql+asyncpg://", "postgresql://"))
        try:
            for name, script in datasets.items():
                await connection.execute(
                    f'CREATE SCHEMA "{name}"; SET search_path TO "{name}";\n{script}'
                )
            postgres = PostgresDatasets(connection)
            differences: list[str] = []
            checked = 0
            for question in questions:
                assert question.dataset and question.solution
                ours = await asyncio.to_thread(
                    sandbox.run, question.dataset, question.solution, SOLUTION_SECONDS
                )
                theirs = await postgres.run(question.dataset, question.solution)
                if not same_rows(ours, theirs, question.ordered):
                    differences.append(
                        f"{question.id}: the solution's rows differ: sandbox {ours.rows} "
                        f"PostgreSQL {theirs.rows}"
                    )
                for wrong in question.wrong_queries:
                    checked += 1
                    try:
                        wrong_there = await postgres.run(question.dataset, wrong)
                    except asyncpg.PostgresError as error:
                        differences.append(f"{question.id}: fails on PostgreSQL ({error}): {wrong}")
                        continue
                    if same_rows(wrong_there, theirs, question.ordered):
                        differences.append(f"{question.id}: right on PostgreSQL: {wrong}")
                    try:
                        verdict = await asyncio.to_thread(
                            sandbox.grade,
                            question.dataset,
                            question.solution,
                            wrong,
                            question.ordered,
                        )
                    except SandboxError as error:
                        differences.append(
                            f"{question.id}: fails in the sandbox ({error}): {wrong}"
                        )
                        continue
                    if verdict.correct:
                        differences.append(f"{question.id}: right in the sandbox: {wrong}")
        finally:
            await connection.close()
    assert differences == [], "\n".join(differences)
    assert checked >= len(questions)
