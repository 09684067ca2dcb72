"""The geography of a generated province (`manage.py generate_province`, see scenario/generator.py):
one district per ten communes, every twelfth commune an urban ward, eight villages each."""

from communes.models import AreaType, Commune, District, Province, Village
from core.generation import Run


def generate_geography(run: Run, *, code: str, communes: int) -> list[Commune]:
    province = Province.objects.create(code=code, name=f"Tỉnh thử nghiệm {code}")
    district_count = max(1, communes // 10)
    districts = District.objects.bulk_create(
        District(code=f"{code}{d:03d}", name=f"Huyện {d + 1}", province=province)
        for d in range(district_count)
    )
    made = Commune.objects.bulk_create(
        Commune(
            code=f"{code}{c:04d}",
            name=f"Xã {c + 1:03d}",
            province=province,
            district=districts[c % district_count],
            area_type=AreaType.URBAN if c % 12 == 0 else AreaType.RURAL,
            kind=Commune.Kind.WARD if c % 12 == 0 else Commune.Kind.COMMUNE,
            extremely_disadvantaged=c % 3 == 0,
            ethnic_minority_area=c % 2 == 0,
        )
        for c in range(communes)
    )
    Village.objects.bulk_create(
        Village(commune=commune, name=f"Thôn {v + 1}") for commune in made for v in range(8)
    )
    run.counts.update(communes=len(made), districts=len(districts), villages=8 * len(made))
    run.say(f"{len(made)} communes in {len(districts)} districts, {8 * len(made)} villages")
    return made
