# ruff: noqa: E501  (translations are long lines)
"""Fill the activities' strings (sessions' times, activities, the calendar, the Report's
programme) in the it, zh and ar catalogs from the dict below, clearing babel's fuzzy guesses.
Run after ``scripts/translations.sh update`` (e.g. after a merge), then ``compile``:

    .venv/bin/python scripts/fill_activity_translations.py
"""

from pathlib import Path

from babel.messages.pofile import read_po, write_po

C1 = "%(course)s: a %(hours)s-hour course in %(num)s meeting, %(person_hours)s person-hours."
C2 = "%(course)s: %(hours)s hours in %(num)s meeting"
P1 = "%(num)s person"

T = {
    "Activity added.": ("Attività aggiunta.", "已添加活动。", "أُضيف النشاط."),
    "Someone new (give a name below)": (
        "Una persona nuova (scrivi il nome qui sotto)",
        "新的人（在下面填写名字）",
        "شخص جديد (اكتب الاسم أدناه)",
    ),
    "Activity saved.": ("Attività salvata.", "活动已保存。", "حُفظ النشاط."),
    "Activity deleted.": ("Attività eliminata.", "活动已删除。", "حُذف النشاط."),
    "Other activities": ("Altre attività", "其他活动", "أنشطة أخرى"),
    "Hours of sessions": ("Ore di sessione", "会议时数", "ساعات الجلسات"),
    "Hours of other activities": (
        "Ore delle altre attività",
        "其他活动时数",
        "ساعات الأنشطة الأخرى",
    ),
    "Person-hours at other activities": (
        "Ore-persona nelle altre attività",
        "其他活动的人时数",
        "ساعات الأشخاص في الأنشطة الأخرى",
    ),
    "Training hours per person (person-hours)": (
        "Ore di formazione per persona (ore-persona)",
        "每人培训时数（人时）",
        "ساعات التدريب لكل شخص (ساعات الأشخاص)",
    ),
    "other activities": ("altre attività", "其他活动", "أنشطة أخرى"),
    "training hours per person (person-hours)": (
        "ore di formazione per persona (ore-persona)",
        "每人培训时数（人时）",
        "ساعات التدريب لكل شخص (ساعات الأشخاص)",
    ),
    C1: (
        (
            "%(course)s: un corso di %(hours)s ore in %(num)s incontro, %(person_hours)s ore-persona.",
            "%(course)s: un corso di %(hours)s ore in %(num)s incontri, %(person_hours)s ore-persona.",
        ),
        ("%(course)s：共 %(hours)s 小时的课程，%(num)s 次课，%(person_hours)s 人时。",),
        tuple(
            "%(course)s: دورة من %(hours)s ساعة في " + w + "، %(person_hours)s ساعة أشخاص."
            for w in (
                "%(num)s لقاء",
                "لقاء واحد",
                "لقاءين",
                "%(num)s لقاءات",
                "%(num)s لقاءً",
                "%(num)s لقاء",
            )
        ),
    ),
    "Other activities by kind": (
        "Altre attività per tipo",
        "其他活动（按类型）",
        "الأنشطة الأخرى حسب النوع",
    ),
    P1: (
        ("%(num)s persona", "%(num)s persone"),
        ("%(num)s 人",),
        ("%(num)s شخص", "شخص واحد", "شخصان", "%(num)s أشخاص", "%(num)s شخصًا", "%(num)s شخص"),
    ),
    "%(hours)s hours": ("%(hours)s ore", "%(hours)s 小时", "%(hours)s ساعة"),
    "Time": ("Orario", "时间", "الوقت"),
    "all day": ("tutto il giorno", "全天", "طوال اليوم"),
    "No other activity yet.": (
        "Ancora nessun'altra attività.",
        "还没有其他活动。",
        "لا توجد أنشطة أخرى بعد.",
    ),
    "Trainings, study visits, partnership meetings and public events: no live board, a date, a place, people and hours. The Report lists them in its timeline and counts their hours.": (
        "Formazioni, visite di studio, incontri di partenariato ed eventi pubblici: nessuna bacheca dal vivo, una data, un luogo, persone e ore. Il Rapporto le elenca nella cronologia e ne conta le ore.",
        "培训、考察访问、合作伙伴会议和公共活动：没有实时看板，只有日期、地点、人员和时数。报告会把它们列入时间线并计算时数。",
        "التدريبات وزيارات الدراسة واجتماعات الشراكة والفعاليات العامة: بلا لوحة مباشرة، تاريخ ومكان وأشخاص وساعات. يذكرها التقرير في خطه الزمني ويحسب ساعاتها.",
    ),
    "Activities": ("Attività", "活动", "الأنشطة"),
    C2: (
        (
            "%(course)s: %(hours)s ore in %(num)s incontro",
            "%(course)s: %(hours)s ore in %(num)s incontri",
        ),
        ("%(course)s：%(hours)s 小时，%(num)s 次课",),
        tuple(
            "%(course)s: %(hours)s ساعة في " + w
            for w in (
                "%(num)s لقاء",
                "لقاء واحد",
                "لقاءين",
                "%(num)s لقاءات",
                "%(num)s لقاءً",
                "%(num)s لقاء",
            )
        ),
    ),
    "New activity": ("Nuova attività", "新活动", "نشاط جديد"),
    "Add the activity": ("Aggiungi l'attività", "添加活动", "أضف النشاط"),
    "part of it": ("solo in parte", "部分时间", "جزء منه"),
    "Nobody on the list yet.": (
        "Nessuno nell'elenco, per ora.",
        "名单上还没有人。",
        "لا أحد في القائمة بعد.",
    ),
    "Add someone": ("Aggiungi una persona", "添加人员", "أضف شخصًا"),
    "Add to the list": ("Aggiungi all'elenco", "加入名单", "أضف إلى القائمة"),
    "Delete this activity": ("Elimina questa attività", "删除此活动", "احذف هذا النشاط"),
    "Trainings, study visits, partnership meetings and public events: no live board, a date, a place, people and hours.": (
        "Formazioni, visite di studio, incontri di partenariato ed eventi pubblici: nessuna bacheca dal vivo, una data, un luogo, persone e ore.",
        "培训、考察访问、合作伙伴会议和公共活动：没有实时看板，只有日期、地点、人员和时数。",
        "التدريبات وزيارات الدراسة واجتماعات الشراكة والفعاليات العامة: بلا لوحة مباشرة، تاريخ ومكان وأشخاص وساعات.",
    ),
    "All activities and training courses": (
        "Tutte le attività e i corsi di formazione",
        "所有活动和培训课程",
        "كل الأنشطة والدورات التدريبية",
    ),
    "Subscribe to the calendar": ("Iscriviti al calendario", "订阅日历", "اشترك في التقويم"),
    "A calendar app can subscribe to this address: every session and activity, no names.": (
        "Un'app di calendario può iscriversi a questo indirizzo: ogni sessione e attività, nessun nome.",
        "日历应用可以订阅此地址：包含每次会议和活动，不含姓名。",
        "يمكن لتطبيق التقويم الاشتراك في هذا العنوان: كل جلسة وكل نشاط، بلا أسماء.",
    ),
    "An activity needs a title (up to 200 characters).": (
        "Un'attività ha bisogno di un titolo (fino a 200 caratteri).",
        "活动需要标题（最多 200 个字符）。",
        "يحتاج النشاط إلى عنوان (حتى 200 حرف).",
    ),
    "An activity needs a date.": (
        "Un'attività ha bisogno di una data.",
        "活动需要日期。",
        "يحتاج النشاط إلى تاريخ.",
    ),
    "No such activity in this process.": (
        "Questa attività non esiste in questo percorso.",
        "此流程中没有这个活动。",
        "لا يوجد هذا النشاط في هذا المسار.",
    ),
    "Give the hours: the activity has no start and end time.": (
        "Indica le ore: l'attività non ha un orario di inizio e di fine.",
        "请填写时数：此活动没有开始和结束时间。",
        "اكتب الساعات: ليس للنشاط وقت بداية ونهاية.",
    ),
    "Hours must be more than 0 and at most %(hours)s.": (
        "Le ore devono essere più di 0 e al massimo %(hours)s.",
        "时数必须大于 0，最多 %(hours)s。",
        "يجب أن تكون الساعات أكثر من 0 وبحد أقصى %(hours)s.",
    ),
    "Choose one person or one trainer.": (
        "Scegli una persona o un formatore.",
        "请选择一个人或一名培训师。",
        "اختر شخصًا واحدًا أو مدربًا واحدًا.",
    ),
    "No such trainer or staff member.": (
        "Questo formatore o membro dello staff non esiste.",
        "没有这个培训师或工作人员。",
        "لا يوجد هذا المدرب أو الموظف.",
    ),
    "They are already on the list.": (
        "È già nell'elenco.",
        "已经在名单上了。",
        "موجود في القائمة بالفعل.",
    ),
    "No such person at this activity.": (
        "Questa persona non è in questa attività.",
        "此活动中没有这个人。",
        "هذا الشخص ليس في هذا النشاط.",
    ),
    "added an activity": ("ha aggiunto un'attività", "添加了一个活动", "أضاف نشاطًا"),
    "changed an activity": ("ha modificato un'attività", "修改了一个活动", "عدّل نشاطًا"),
    "deleted an activity": ("ha eliminato un'attività", "删除了一个活动", "حذف نشاطًا"),
    "added someone to an activity": (
        "ha aggiunto una persona a un'attività",
        "把某人加入了一个活动",
        "أضاف شخصًا إلى نشاط",
    ),
    "removed someone from an activity": (
        "ha tolto una persona da un'attività",
        "把某人从一个活动中移除",
        "أزال شخصًا من نشاط",
    ),
    "Training": ("Formazione", "培训", "تدريب"),
    "Study visit": ("Visita di studio", "考察访问", "زيارة دراسية"),
    "Partnership meeting": ("Incontro di partenariato", "合作伙伴会议", "اجتماع شراكة"),
    "Public event": ("Evento pubblico", "公共活动", "فعالية عامة"),
    "Starts at": ("Inizia alle", "开始时间", "يبدأ في"),
    "Ends at": ("Finisce alle", "结束时间", "ينتهي في"),
    "Course": ("Corso", "课程", "الدورة"),
    "The meetings of one training course share its name.": (
        "Gli incontri di uno stesso corso di formazione ne condividono il nome.",
        "同一培训课程的各次课使用同一名称。",
        "لقاءات الدورة التدريبية الواحدة تحمل الاسم نفسه.",
    ),
    "Name of someone new": ("Nome di una persona nuova", "新人员的名字", "اسم شخص جديد"),
    "Hours": ("Ore", "时数", "الساعات"),
    "Empty: the whole activity.": (
        "Vuoto: tutta l'attività.",
        "留空：整个活动。",
        "فارغ: النشاط كله.",
    ),
    "Give a start time before an end time.": (
        "Indica un orario di inizio prima di quello di fine.",
        "请先填写开始时间，再填写结束时间。",
        "اكتب وقت البداية قبل وقت النهاية.",
    ),
    "The end time must be after the start time.": (
        "L'orario di fine deve essere dopo quello di inizio.",
        "结束时间必须晚于开始时间。",
        "يجب أن يكون وقت النهاية بعد وقت البداية.",
    ),
    "trainer or staff": ("formatore o staff", "培训师或工作人员", "مدرب أو موظف"),
}
ROOT = Path(__file__).resolve().parent.parent
INDEX = {"it": 0, "zh": 1, "ar": 2}
missing = []
for lang, i in INDEX.items():
    path = str(ROOT / "translations" / lang / "LC_MESSAGES" / "messages.po")
    with open(path, "rb") as f:
        catalog = read_po(f)
    for message in catalog:
        if not message.id:
            continue
        key = message.id[0] if isinstance(message.id, tuple) else message.id
        s = message.string
        empty = (not all(s)) if isinstance(s, tuple) else not s
        if key in T and (empty or message.fuzzy):
            value = T[key][i]
            if isinstance(message.id, tuple):
                assert isinstance(value, tuple) and len(value) == catalog.num_plurals, (lang, key)
                message.string = value
            else:
                message.string = value
            message.flags.discard("fuzzy")
            message.previous_id = []
        elif empty or message.fuzzy:
            missing.append((lang, key))
    with open(path, "wb") as f:
        write_po(f, catalog, width=0, ignore_obsolete=True, include_previous=False)
if missing:
    print("still to translate:", missing)
