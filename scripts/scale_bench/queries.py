"""Korean queries for the recall comparison, each with the sentence that is planted into
one synthetic note for it to find. The planted words appear nowhere else in the grown site
(the generator leaves out every source sentence holding one), so each query has exactly
one page to find, and a miss is the search's, not the text's."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PlantedQuery:
    kind: str  # particle, compound or mixed: what the query tests
    sentence: str  # planted into the note the query must find
    query: str  # what the reader types
    word: str  # the planted word, which no other sentence of the site may hold

    @property
    def on_page(self) -> str:
        """The planted word as the sentence writes it (with its particle, its compound)."""
        return next(part for part in self.sentence.split(" ") if self.word in part)


PLANTED_QUERIES = (
    # The page has a particle or ending the query does not, or the other way round.
    PlantedQuery("particle", "서울은 이번 장애의 영향을 받지 않았습니다.", "서울", "서울"),
    PlantedQuery("particle", "부산에서 온 요청만 유난히 느렸습니다.", "부산", "부산"),
    PlantedQuery("particle", "강릉으로 옮긴 서버는 한 번도 멈추지 않았습니다.", "강릉", "강릉"),
    PlantedQuery("particle", "판교 사무실의 빌드 머신도 같은 결과를 냈습니다.", "판교에서", "판교"),
    PlantedQuery("particle", "제주도의 백업은 따로 보관합니다.", "제주도는", "제주도"),
    # A part of a longer word.
    PlantedQuery(
        "compound",
        "클라우드네이티브 환경에서는 로그 모으기부터 다시 생각합니다.",
        "네이티브",
        "네이티브",
    ),
    PlantedQuery(
        "compound", "사내메신저 알림이 너무 많으면 아무도 읽지 않습니다.", "메신저", "메신저"
    ),
    PlantedQuery("compound", "장애대응훈련은 분기마다 한 번씩 합니다.", "대응훈련", "훈련"),
    PlantedQuery(
        "compound", "배포자동화도구를 바꾸는 데 한 달이 걸렸습니다.", "자동화도구", "자동화도구"
    ),
    # Latin and Hangul in one word, or spaced unlike the page.
    PlantedQuery(
        "mixed",
        "쿠버네티스API를 직접 부를 때는 권한부터 확인합니다.",
        "쿠버네티스API",
        "쿠버네티스API",
    ),
    PlantedQuery("mixed", "GraphQL로 바꾼 뒤 요청 수가 절반이 되었습니다.", "GraphQL", "GraphQL"),
    PlantedQuery("mixed", "Kafka토픽 하나에 파티션을 여럿 둡니다.", "토픽", "토픽"),
    PlantedQuery("mixed", "Prometheus 지표는 15초마다 모읍니다.", "Prometheus지표", "Prometheus"),
)
KINDS = ("particle", "compound", "mixed")
