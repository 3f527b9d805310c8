"""Generate tests/eval/poldev/questions.jsonl: the DEVELOPMENT question set over corpus/policies/*.md.

Why a separate set: tests/eval/policies/ is held out (never read while tuning). This set is for tuning, so it
may be looked at freely. It was written by reading the ten texts only; the assistant was not run while writing.
Row format is that of tests/eval/policies/README.md. Run: python3 tests/eval/poldev/build_questions.py
"""
import json
import pathlib

HERE = pathlib.Path(__file__).resolve().parent

SME = "policies/中小企业促进法(2017-09-01).md"
CGL = "policies/促进科技成果转化法(2015-08-29).md"  # national tech-transfer law
BJI = "policies/北京国际科技创新中心建设条例(2024-01-25).md"
BJT = "policies/北京市促进科技成果转化条例(2019-11-27).md"
A20 = "policies/国家科学技术奖励条例(2020-10-07).md"
A24 = "policies/国家科学技术奖励条例(2024-05-26).md"
GZ = "policies/广州市青年创新创业促进条例(2023-01-19).md"
HN = "policies/河南省促进高新技术产业发展条例(2011-06-13).md"
ZJ = "policies/浙江省促进科技成果转化条例(2021-09-30).md"
STP = "policies/科学技术进步法(2021-12-24).md"  # national S&T progress law

ROWS: list[dict] = []


def r(q, expect, doc, support, article, kind, lang="zh-Hans", persona="enterprise", answerable=True):
    """One row; ids are given in order of appearance (d001...)."""
    ROWS.append({"q": q, "expect": expect, "doc": doc, "support": support, "answerable": answerable,
                 "lang": lang, "persona": persona, "article": article, "kind": kind})


def trap(q, kind, lang="zh-Hans", persona="enterprise"):
    """An unanswerable row with no document: a place whose rules are not held, or a provision no text has."""
    r(q, [], None, None, None, kind, lang, persona, answerable=False)


# ---------------------------------------------------------------- 中小企业促进法
r("我们公司规模不大，法律上说的中小企业具体包括哪几种？", [["中型企业"], ["小型企业"], ["微型企业"]], SME,
  "包括中型企业、小型企业和微型企业", "第二条", "definition", persona="enterprise")
r("中型、小型、微型企业到底按多少员工、多少营收来划分？", [["国务院负责中小企业促进工作综合管理的部门", "国务院"]], SME,
  "中型企业、小型企业和微型企业划分标准", "第二条", "left-to-other-rules", persona="enterprise", answerable=False)
r("大学毕业生或者退伍军人开小微公司，国家给什么优惠？", [["税收优惠"], ["收费减免"]], SME,
  "按照国家规定享受税收优惠和收费减免", "第二十五条", "list", persona="outreach")
r("公司的设备因为技术更新换代需要提前折旧，法律允许怎么处理？", [["缩短折旧年限"], ["加速折旧方法"]], SME,
  "可以依法缩短折旧年限或者采取加速折旧方法", "第三十二条", "conditions", persona="enterprise")
r("誰負責定期評估中小企業的發展環境？", [["国务院负责中小企业促进工作综合管理的部门"], ["第三方机构"]], SME,
  "委托第三方机构定期开展中小企业发展环境评估", "第五十八条", "responsibility", lang="zh-Hant", persona="staff")
r("What kinds of assets can a small company put up as collateral for guaranteed financing under the SME law?",
  [["应收账款", "receivables"], ["知识产权", "intellectual property"], ["存货", "inventory"], ["机器设备", "machinery"]], SME,
  "以应收账款、知识产权、存货、机器设备等为担保品", "第十九条", "list", lang="en", persona="enterprise")
r("银行对小微企业的坏账容忍度要提高，这是谁的职责？", [["国务院银行业监督管理机构"]], SME,
  "合理提高小型微型企业不良贷款容忍度", "第十五条", "responsibility", persona="staff")
r("好几个部门都要来我们公司检查，能不能合到一起查？", [["合并进行", "合并或者联合检查"], ["本级人民政府"]], SME,
  "实施合并或者联合检查", "第五十六条", "responsibility", persona="enterprise")
r("刚创业的人想免费咨询工商、税务方面的政策，政府有义务提供吗？", [["免费提供"], ["县级以上人民政府"]], SME,
  "为创业人员免费提供工商、财税", "第二十四条", "article-lookup", persona="outreach")
r("中小企业发展基金平时怎么管、钱怎么用，具体办法是什么？", [["国务院"]], SME,
  "设立和使用管理办法由国务院规定", "第十条", "left-to-other-rules", persona="staff", answerable=False)
r("中小企业促进法哪一条规定大企业、机关不能拖欠中小企业的货款？", [["第五十三条"]], SME,
  "不得违约拖欠中小企业的货物", "第五十三条", "which-article", persona="staff")
r("中小企业促进法最早是哪年通过的？", [["2002年6月29日", "2002年"]], SME,
  "2002年6月29日", None, "history", persona="outreach")

# ---------------------------------------------------------------- 促进科技成果转化法 (national)
r("国企给科研人员发的成果转化奖金，算不算进工资总额？受不受工资总额的限制？",
  [["计入当年本单位工资总额"], ["不受当年本单位工资总额限制"]], CGL,
  "不受当年本单位工资总额限制", "第四十五条", "conditions", persona="staff")
r("Can we make engineers who work on a tech-transfer project sign an NDA that still binds them after they leave?",
  [["离职", "after leaving"], ["保守本单位技术秘密", "technical secrets", "confidential"]], CGL,
  "离职、离休、退休后一定期限内保守本单位技术秘密", "第四十二条", "conditions", lang="en", persona="enterprise")
r("拿了财政科研项目却不交科技报告，会有什么后果？",
  [["责令改正"], ["通报批评"], ["禁止其在一定期限内承担", "一定期限内"]], CGL,
  "未依照本法规定提交科技报告", "第四十六条", "responsibility", persona="staff")
r("法律上「科技成果轉化」具體指什麼活動？", [["后续试验"], ["开发"], ["应用"], ["推广"]], CGL,
  "对科技成果所进行的后续试验", "第二条", "definition", lang="zh-Hant", persona="outreach")
r("Which kinds of tech-transfer projects does the state back through government procurement and R&D grants — for example, anything for poor or remote regions?",
  [["贫困地区", "poverty-stricken areas"], ["边远地区", "remote areas"]], CGL,
  "加快民族地区、边远地区、贫困地区社会经济发展的", "第十二条", "list", lang="en", persona="outreach")
r("成果转化的财政经费主要能花在哪些地方？", [["引导资金"], ["贷款贴息"], ["补助资金"], ["风险投资"]], CGL,
  "科技成果转化的引导资金、贷款贴息", "第三十三条", "list", persona="staff")
r("Is a Chinese company free to license its technology to an overseas buyer, or are there rules to follow?",
  [["遵守相关法律、行政法规", "相关法律", "relevant laws and administrative regulations"]], CGL,
  "向境外的组织、个人转让或者许可其实施科技成果的", "第六条", "conditions", lang="en", persona="enterprise")

# ---------------------------------------------------------------- 北京市促进科技成果转化条例
r("北京的市属研究院自己决定转化手里的成果，要不要报批？", [["不需审批或者备案"], ["国家秘密", "国家安全"]], BJT,
  "除涉及国家秘密、国家安全外", "第十条", "conditions", persona="staff")
r("We are a Beijing startup that needs time on big university lab instruments. Does the city help pay for that?",
  [["科技创新券", "innovation voucher"]], BJT,
  "通过科技创新券等方式予以资金支持", "第三十六条", "article-lookup", lang="en", persona="enterprise")
r("北京政府采购首台套设备时，能以公司规模小、成立时间短为由不让我们参加吗？",
  [["不得以企业规模、成立年限、市场业绩等为由限制", "不得以企业规模"]], BJT,
  "不得以企业规模、成立年限、市场业绩等为由限制", "第三十三条", "article-lookup", persona="enterprise")
r("We're hiring a foreign technology-transfer specialist in Beijing. Do the rules make the visa and residence permit easier?",
  [["简化程序", "simplif", "streamlin"]], BJT,
  "简化程序、提供便利", "第三十五条", "article-lookup", lang="en", persona="enterprise")
r("北京的成果轉化條例對公立醫院也適用嗎？", [["医疗卫生机构"]], BJT,
  "适用于政府设立的医疗卫生机构", "第四十四条", "article-lookup", lang="zh-Hant", persona="staff")
r("北京市属高校拿成果对外投资亏了钱，要不要算进国有资产保值增值考核？", [["不纳入"]], BJT,
  "不纳入单位国有资产对外投资保值增值考核范围", "第十九条", "article-lookup", persona="staff")
r("在北京高校当领导的科研人员拿成果转化奖金，有什么额外要求？", [["公开公示"]], BJT,
  "并实行公开公示制度", "第十三条", "conditions", persona="staff")
r("北京鼓励科研单位优先把成果转给哪类公司？", [["中小微企业"]], BJT,
  "优先向中小微企业转移科技成果", "第二十三条", "article-lookup", persona="enterprise")
r("北京条例说的科技成果都包括什么？软件算不算？", [["计算机软件"], ["专利技术"]], BJT,
  "本条例所称科技成果包括专利技术、计算机软件", "第四十三条", "definition", persona="outreach")
r("北京的服务机构在成果评估中故意造假，没有违法所得的罚多少？", [["五万元以上十万元以下"]], BJT,
  "故意提供虚假信息、实验结果或者评估意见", "第四十二条", "bound", persona="staff")
r("北京的科研人员可以怎样出去创业搞成果转化？", [["离岗创业"], ["在岗创业"], ["兼职"]], BJT,
  "通过离岗创业、在岗创业或者到企业兼职等方式", "第二十条", "list", persona="staff")

# ---------------------------------------------------------------- 浙江省促进科技成果转化条例
r("浙江的科技创新券多久结算一次？", [["每半年至少结算一次", "半年"]], ZJ,
  "每半年至少结算一次", "第二十二条", "duration", persona="enterprise")
r("浙江国企研发投入在业绩考核里怎么「视同利润」，具体办法在哪？", [["省国有资产监督管理部门"]], ZJ,
  "具体办法由省国有资产监督管理部门会同有关部门制定", "第十二条", "left-to-other-rules", persona="staff",
  answerable=False)
r("浙江的专利授权后学校一直没用，发明人能自己拿去转化吗？钱归谁？", [["一年"], ["归科技成果完成人所有"]], ZJ,
  "所得收益归科技成果完成人所有", "第三十八条", "conditions", persona="staff")
r("浙江高校转让专利的收入要上缴国库吗？", [["不上缴国库"]], ZJ,
  "留归单位，不上缴国库", "第十八条", "article-lookup", lang="zh-Hans", persona="outreach")
r("Our company in Zhejiang is taking over a university's research results. Can the local government subsidise the deal, and on what basis?",
  [["技术合同的实际成交额", "actual transaction value", "contract value"]], ZJ,
  "按照技术合同的实际成交额", "第十条", "conditions", lang="en", persona="enterprise")
r("宁波市可以自己设立科学技术奖吗？", [["宁波市人民政府"]], ZJ,
  "省人民政府和宁波市人民政府", "第五条", "jurisdiction-trap", persona="outreach")
r("浙江條例哪一條規定成果轉化獎勵的支付期限？", [["第四十条"]], ZJ,
  "奖励支付期限", "第四十条", "which-article", lang="zh-Hant", persona="staff")
r("在浙江，侵占别人的科技成果会被罚多少钱？", [["五万元以上十万元以下"]], ZJ,
  "以唆使窃取、利诱胁迫等手段侵占他人科技成果", "第四十四条", "bound", persona="staff")
r("浙江财政科技项目的结余资金可以拿来干什么？", [["该项目科技成果转化"], ["其他科研活动"]], ZJ,
  "结余资金可以用于该项目科技成果转化", "第二十九条", "list", persona="staff")

# ---------------------------------------------------------------- 河南省促进高新技术产业发展条例
r("We are a foreign-invested firm doing high-tech R&D in Henan. Do we get the same incentives as local high-tech companies?",
  [["同等优惠", "same preferential treatment"]], HN,
  "享受本省高新技术企业的同等优惠", "第二十条", "conditions", lang="en", persona="enterprise")
r("Can we import equipment duty-free for a high-tech R&D project in Henan?",
  [["免征关税", "exempt from customs duties", "exempt from import duties"], ["自用设备", "own use"]], HN,
  "在投资总额内进口的自用设备", "第十八条", "conditions", lang="en", persona="enterprise")
r("河南企业研发费用没形成无形资产的，可以加计扣除多少？", [["百分之五十", "50%"]], HN,
  "按照研究开发费用的百分之五十加计扣除", "第十五条", "bound", persona="enterprise")
r("河南的高新技术项目进了已做过区域环评的产业集聚区，环评能不能简化？", [["应当简化"], ["符合总体规划要求"]], HN,
  "其环境影响评价工作应当简化", "第二十九条", "conditions", persona="enterprise")
r("河南引进的高新技术人才，落户和孩子上学有照顾吗？", [["户口迁入"], ["子女入学"]], HN,
  "在其户口迁入、子女入学等方面给予照顾", "第三十三条", "list", persona="outreach")
r("河南的高新技术企业可以用哪些办法激励技术骨干？", [["股权"], ["技术入股"], ["期权"]], HN,
  "实行股权、技术入股、期权等激励措施", "第三十五条", "list", persona="enterprise")
r("河南高校的科研人员去高新技术企业兼职，需要什么前提？", [["经单位同意"]], HN,
  "科技人员经单位同意，可以到高新技术企业兼职", "第三十八条", "conditions", persona="staff")
r("洛阳市政府必须设立创业投资引导基金吗？", [["省辖市"], ["应当设立"]], HN,
  "省、省辖市人民政府应当设立创业投资引导基金", "第四十五条", "jurisdiction-trap", persona="staff")
r("河南条例所说的高新技术产业是指什么样的产业？", [["知识密集"], ["技术先进"]], HN,
  "具有知识密集、技术先进、高成长性、创新性等特征", "第三条", "definition", persona="outreach")
r("在河南搞高新技术产业项目，政府部门除了国家规定的收费之外还能收别的费吗？", [["禁止收取其他行政事业性费用", "禁止"]], HN,
  "禁止收取其他行政事业性费用", "第十九条", "article-lookup", persona="enterprise")

# ---------------------------------------------------------------- 广州市青年创新创业促进条例
r("广州优秀青年创业人才评选，奖金和资助标准是多少？", [["市、区"]], GZ,
  "优秀青年创新创业人才评选、资助和服务保障办法", "第十二条", "left-to-other-rules", persona="outreach",
  answerable=False)
r("广州的培训机构给年轻人免费做创业培训，能拿补贴吗？", [["创业培训补贴"]], GZ,
  "可以按规定申领创业培训补贴", "第八条", "conditions", persona="enterprise")
r("广州给年轻人的人才工作站能免费帮什么忙？", [["政策指引"], ["场地对接"], ["培训交流"], ["政务咨询"]], GZ,
  "免费为青年创新创业提供政策指引", "第十一条", "list", persona="outreach")
r("Our Guangzhou startup got city funding, but the project fell short even though we did everything required. Will that block us from applying again?",
  [["不受影响", "not be affected", "unaffected"]], GZ,
  "再次申报财政资金支持的创新创业项目不受影响", "第二十五条", "conditions", lang="en", persona="enterprise")
r("I'm a young foreigner starting a business in Guangzhou. Does the regulation say anything about opening a bank account?",
  [["银行账户"]], GZ,
  "优化港澳台青年以及外国青年申请内地银行账户", "第十九条", "article-lookup", lang="en", persona="enterprise")
r("广州条例哪一条讲港澳青年在南沙创业？", [["第二十四条"]], GZ,
  "支持港澳青年在南沙创新创业", "第二十四条", "which-article", persona="staff")
r("广州市人大常委会是哪天通过青年创新创业促进条例的？", [["2022年11月25日"]], GZ,
  "2022年11月25日", None, "history", persona="outreach")
r("广州的青年创新创业发展环境监测评估由谁来组织、要不要公开？", [["共产主义青年团委员会"], ["向社会公布"]], GZ,
  "发展环境年度监测评估，并向社会公布", "第十六条", "responsibility", persona="staff")
r("Where do young entrepreneurs in Guangzhou get help with housing — is there subsidised rental housing or talent apartments?",
  [["人才公寓"], ["保障性租赁住房", "government-subsidised rental housing"]], GZ,
  "保障性租赁住房、共有产权住房和人才公寓", "第二十二条", "list", lang="en", persona="outreach")

# ---------------------------------------------------------------- 北京国际科技创新中心建设条例
r("Our Beijing lab does AI research on ethically sensitive topics. Do we have to set up an ethics review committee?",
  [["科技伦理审查委员会"]], BJI,
  "应当设立科技伦理审查委员会", "第六十一条", "conditions", lang="en", persona="enterprise")
r("北京为了降低高精尖产业用地成本，搞了哪些土地制度？", [["弹性年期出让制"], ["土地租金年租制"]], BJI,
  "建立弹性年期出让制、土地租金年租制", "第二十一条", "list", persona="enterprise")
r("北京的公司出钱资助高校做基础研究，能享受税收优惠吗？", [["依法享受税收优惠"]], BJI,
  "企业出资给非营利性科研机构、高等学校", "第二十八条", "article-lookup", persona="enterprise")
r("北京国际科技创新中心建设条例是在哪个会议上通过的？", [["第十六届人民代表大会第二次会议"]], BJI,
  "北京市第十六届人民代表大会第二次会议", None, "history", persona="outreach")
r("北京市政府在科技上的财政投入，增长速度有什么硬性要求？", [["高于财政经常性收入的增长幅度"]], BJI,
  "保持财政用于科学技术经费的增长幅度", "第四十九条", "bound", persona="staff")
r("Our company wants to open a foreign-funded R&D centre in Beijing. What kinds of projects does the regulation encourage it to take on?",
  [["科技研发"], ["国际科技合作", "international science and technology cooperation"], ["重点应用场景示范", "application scenario"]], BJI,
  "支持设立外资研发中心", "第七十条", "list", lang="en", persona="enterprise")
r("北京的高層次人才實行年薪制，工資支出受不受績效工資總量限制？", [["不受当年本单位绩效工资总量限制"]], BJI,
  "所需支出不受当年本单位绩效工资总量限制", "第四十二条", "conditions", lang="zh-Hant", persona="staff")

# ---------------------------------------------------------------- 科学技术进步法
r("Can an outstanding foreign scientist who comes to do R&D in China get permanent residency?",
  [["永久居留权", "permanent residence right"]], STP,
  "优先获得在华永久居留权", "第八十四条", "conditions", lang="en", persona="outreach")
r("Can our overseas parent company set up its own wholly owned R&D institute in China?",
  [["独立设立", "independently"]], STP,
  "境外的组织或者个人可以在中国境内", "第四十九条", "article-lookup", lang="en", persona="enterprise")
r("我们的新产品第一次上市，政府采购能不能因为没有销售业绩就不买？", [["率先购买"], ["不得以商业业绩为由"]], STP,
  "不得以商业业绩为由予以限制", "第九十一条", "article-lookup", persona="enterprise")
r("科研人员接了高风险的探索项目没做成，要担责任吗？", [["勤勉尽责"], ["免责"]], STP,
  "已经履行了勤勉尽责义务仍不能完成", "第六十八条", "conditions", persona="staff")
r("國家財政的科技經費增長幅度有什麼要求？", [["高于国家财政经常性收入的增长幅度"]], STP,
  "国家财政用于科学技术经费的增长幅度", "第八十六条", "bound", lang="zh-Hant", persona="staff")
r("法律对怀孕、哺乳期的女科研人员有什么照顾的说法？", [["孕哺期"]], STP,
  "关心孕哺期女性科学技术人员", "第六十六条", "article-lookup", persona="outreach")
r("在艰苦、边远地区工作的科研人员，单位要给补贴吗？", [["按照国家有关规定给予补贴"]], STP,
  "所在单位应当按照国家有关规定给予补贴", "第六十五条", "article-lookup", persona="staff")
r("帮人代写论文、买卖实验数据，会受到什么处罚？", [["警告或者通报批评"], ["罚款"]], STP,
  "买卖、代写、代投服务的", "第一百一十二条", "responsibility", persona="outreach")
r("科技进步法到现在改过几回？最近那次在哪年？", [["第二次修订"], ["2021年12月24日"]], STP,
  "第三十二次会议第二次修订", None, "history", persona="staff")
r("科技进步法哪一条讲负责人在改革中决策失误可以免责？", [["第九十七条"]], STP,
  "出现决策失误、偏差", "第九十七条", "which-article", persona="staff")
r("國家設立的科研院所實行什麼領導制度？", [["院长或者所长负责制"]], STP,
  "实行院长或者所长负责制", "第五十二条", "article-lookup", lang="zh-Hant", persona="outreach")
r("What tax breaks exist for importing research equipment that can't be made domestically?",
  [["税收优惠", "tax incentives", "tax preferences", "preferential tax"], ["国内不能生产", "cannot be produced domestically", "not produced domestically"]], STP,
  "进口国内不能生产或者性能不能满足需要的科学研究", "第九十条", "conditions", lang="en", persona="enterprise")
r("科研院所有哪些自主权？比如经费和人员方面？", [["经费使用"], ["人员聘用"]], STP,
  "自主决定经费使用、机构设置", "第五十条", "list", persona="staff")

# ---------------------------------------------------------------- 国家科学技术奖励条例 (2024 current, 2020 old)
r("Can a foreign company — not just an individual — receive China's International Science and Technology Cooperation Award?",
  [["外国组织", "foreign organization", "foreign organisation"]], A24,
  "下列外国人或者外国组织", "第十三条", "conditions", lang="en", persona="enterprise")
r("Can a Chinese embassy nominate a foreign expert for the International S&T Cooperation Award?",
  [["驻外使馆", "embassies and consulates"]], A24,
  "驻外使馆、领馆可以提名", "第十四条", "article-lookup", lang="en", persona="outreach")
r("評審專家跟候選人有利害關係，要怎麼辦？", [["回避"]], A24,
  "可能影响评审公平、公正的，应当回避", "第十八条", "conditions", lang="zh-Hant", persona="staff")
r("香港的學者想提名國家科學技術獎，資格條件是什麼？", [["国务院科学技术行政部门"]], A24,
  "台湾地区的有关个人、组织的提名资格条件", "第十四条", "left-to-other-rules", lang="zh-Hant", persona="outreach",
  answerable=False)
r("How much prize money comes with a first-class National Natural Science Award?",
  [["国务院科学技术行政部门", "Ministry of Science and Technology"], ["财政部门", "finance"]], A24,
  "国家技术发明奖、国家科学技术进步奖的奖金数额", "第二十五条", "left-to-other-rules", lang="en", persona="enterprise",
  answerable=False)
r("一个省要设省级科学技术奖，具体评奖办法由谁定？", [["地方人民政府", "设奖部门"]], A24,
  "具体办法由设奖部门或者地方人民政府制定", "第三十六条", "left-to-other-rules", persona="staff", answerable=False)
r("提名专家给候选人提供假材料帮他骗奖，会怎么处理？", [["通报批评"], ["暂停或者取消其提名资格"]], A24,
  "暂停或者取消其提名资格", "第三十一条", "responsibility", persona="staff")
r("严重失信的获奖候选人信息会被共享到哪里？", [["全国信用信息共享平台"]], A24,
  "共享至全国信用信息共享平台", "第三十三条", "responsibility", persona="staff")
r("参与初评的评审专家是怎么产生的？", [["评审专家库中抽取", "抽取"]], A24,
  "从评审专家库中抽取产生", "第十九条", "article-lookup", persona="staff")
r("A technical invention must meet which conditions to count as a 'major technological invention' for the award?",
  [["前人尚未发明或者尚未公开", "not been invented", "not been disclosed"], ["先进性、创造性、实用性", "creative"]], A24,
  "前人尚未发明或者尚未公开", "第十条", "definition", lang="en", persona="outreach")
r("国家最高科学技术奖的奖章和证书由谁签署颁发？", [["国家主席"]], A24,
  "报请国家主席签署并颁发奖章", "第二十二条", "article-lookup", persona="outreach")
r("国家科学技术奖励条例最早是哪年发布的？", [["1999年5月23日", "1999年"]], A24,
  "国务院令第265号发布", None, "history", persona="outreach")
# version rows: which text answers depends on 现行 / 2020年版
r("Is the 2020 version of the State Science and Technology Awards regulation still the one in force?",
  [["2024年5月26日", "2024"], ["第四次修订", "fourth"]], A24,
  "修改〈国家科学技术奖励条例〉的决定》第四次修订", None, "version", lang="en", persona="enterprise")
r("按2020年的奖励条例，奖励委员会组成人员名单报谁批准？", [["报国务院批准"]], A20,
  "提出，报国务院批准", "第七条", "version", persona="staff")
r("现行奖励条例下，国家科学技术奖励委员会的组成人员报谁批准？", [["党中央、国务院"]], A24,
  "组成人员人选由国务院科学技术行政部门提出", "第七条", "version", persona="staff")
r("2020年版条例里，国家自然科学奖的证书和奖金由谁颁发？", [["由国务院颁发"]], A20,
  "由国务院颁发证书和奖金", "第二十二条", "version", persona="staff")
r("2024年修订后，国家科技奖励工作的重大事项要报给谁？", [["党中央"]], A24,
  "重大事项，应当按照有关规定报党中央", "第四条", "version", persona="staff")
r("2020年版奖励条例中，国家科学技术奖是由谁设立的？", [["国务院设立"]], A20,
  "国务院设立下列国家科学技术奖", "第二条", "version", persona="outreach")
r("现行奖励条例对国家科学技术奖新增了什么导向要求？", [["国家战略导向"]], A24,
  "坚持国家战略导向", "第三条", "version", persona="staff")
r("現行的國家科學技術獎勵條例，撤銷獎勵要報誰批准？", [["党中央、国务院"]], A24,
  "追回奖章、证书和奖金", "第三十条", "version", lang="zh-Hant", persona="staff")
r("In the 2020 version of the awards regulation, who was in charge of organising the review work?",
  [["国务院科学技术行政部门", "Ministry of Science and Technology", "science and technology administrative department"]], A20,
  "负责国家科学技术奖的相关办法制定和评审活动的组织工作", "第六条", "version", lang="en", persona="outreach")

# ---------------------------------------------------------------- second batch, written after the overlap guard
# (the first draft had 41 rows on the same provisions as held-out rows; they were dropped and these ask about others)
r("财政科研项目形成的专利，承担者多久要向项目管理机构报告一次实施情况？", [["年度报告", "每年"]], STP,
  "并就实施和保护情况向项目管理机构提交年度报告", "第三十二条", "duration", persona="staff")
r("廣州青年創新創業的發展環境多久評估一次？", [["年度", "每年"]], GZ,
  "组织开展青年创新创业发展环境年度监测评估", "第十六条", "duration", lang="zh-Hant", persona="outreach")
r("河南的高新技术产业化专项资金多久安排一次、从哪出？", [["每年"], ["省财政预算"]], HN,
  "每年由省财政预算安排", "第四十一条", "duration", persona="staff")
r("北京财政科技项目约定了转化期限，到期没转化又没正当理由会怎样？", [["约定转化期限"], ["终止项目"]], BJT,
  "在约定转化期限内未实施转化且无正当理由的", "第十四条", "duration", persona="staff")
r("我们公司投诉政府部门乱收费，他们要在多长时间内处理？", [["规定的时间内"]], SME,
  "并在规定的时间内予以调查、处理", "第五十一条", "duration", persona="enterprise")
r("浙江条例2021年又修正了，那它的施行日期写的是哪天？", [["2017年10月1日"]], ZJ,
  "本条例自2017年10月1日起施行", "第四十八条", "duration", persona="staff")
r("When did the national Law on Promoting the Transformation of Scientific and Technological Achievements first take effect?",
  [["1996年10月1日", "October 1, 1996", "1 October 1996"]], CGL,
  "本法自1996年10月1日起施行", "第五十二条", "duration", lang="en", persona="outreach")
r("北京市政府多久发布一次应用场景需求清单？", [["定期"]], BJI,
  "定期发布应用场景建设需求清单", "第三十五条", "duration", persona="enterprise")
r("政府采购要给中小企业留多少份额？里面给小微企业的又是多少？", [["百分之三十以上", "30%"], ["百分之六十", "60%"]], SME,
  "预留给小型微型企业的比例不低于百分之六十", "第四十条", "bound", persona="enterprise")
r("What share of a government department's annual procurement budget has to be set aside for SMEs?",
  [["百分之三十", "30%", "30 percent", "thirty percent"]], SME,
  "应当占本部门年度政府采购项目预算总额的百分之三十以上", "第四十条", "bound", lang="en", persona="enterprise")
r("在河南把科技成果轉讓給別人，能從淨收入裡提多少做一次性獎勵？", [["百分之七十", "70%"]], HN,
  "提取百分之七十用于一次性奖励", "第三十七条", "bound", lang="zh-Hant", persona="staff")
r("在北京成果转化中造假骗奖、有违法所得的，罚款幅度是多少？", [["一倍以上三倍以下"]], BJT,
  "处以违法所得一倍以上三倍以下的罚款", "第四十条", "bound", persona="staff")
r("全社会研发经费占GDP要达到多少？", [["适当的比例"]], STP,
  "应当占国内生产总值适当的比例", "第八十六条", "bound", persona="outreach")
r("國家科學技術獎的提名辦法具體有哪些要求？", [["国务院科学技术行政部门"]], A24,
  "提名办法由国务院科学技术行政部门制定", "第十五条", "left-to-other-rules", lang="zh-Hant", persona="outreach",
  answerable=False)
r("We want to set up a privately funded science prize. What are the detailed rules for privately established S&T awards, and who issues them?",
  [["国务院科学技术行政部门", "Ministry of Science and Technology", "science and technology administrative department"]], A24,
  "进行指导服务和监督管理，并制定具体办法", "第三十七条", "left-to-other-rules", lang="en", persona="enterprise",
  answerable=False)
r("北京急需紧缺创新人才目录里具体有哪些岗位？", [["市人力资源和社会保障、科学技术等部门", "市人力资源和社会保障"]], BJI,
  "制定并适时调整急需紧缺创新人才目录", "第四十条", "left-to-other-rules", persona="enterprise", answerable=False)
r("除了危害国家安全和科研不端，还有哪些情形不能被提名国家科技奖？", [["国务院科学技术行政部门"]], A24,
  "有国务院科学技术行政部门规定的其他情形的", "第十六条", "left-to-other-rules", persona="staff", answerable=False)
r("国家科技奖评审具体怎么打分、评审办法是什么？", [["国务院科学技术行政部门"]], A24,
  "评审办法由国务院科学技术行政部门制定", "第十八条", "left-to-other-rules", persona="staff", answerable=False)
r("北京国际科创中心建设的统计监测由哪些部门负责？", [["市统计"], ["科学技术部门"]], BJI,
  "加强国际科技创新中心建设的统计监测", "第六十三条", "responsibility", persona="staff")
r("Who is responsible for science and technology ethics oversight at the national level, and what must research institutions do?",
  [["科技伦理委员会", "ethics committee"], ["科技伦理审查", "ethics review"]], STP,
  "国家建立科技伦理委员会", "第一百零三条", "responsibility", lang="en", persona="outreach")
r("中小企業經營管理人員的培訓由誰組織？", [["县级以上人民政府负责中小企业促进工作综合管理的部门"]], SME,
  "有计划地组织实施中小企业经营管理人员培训", "第四十七条", "responsibility", lang="zh-Hant", persona="outreach")
r("国家自然科学奖说的「重大科学发现」要满足哪些条件？", [["前人尚未发现或者尚未阐明"], ["重大科学价值"], ["国内外自然科学界公认"]], A24,
  "得到国内外自然科学界公认", "第九条", "definition", persona="staff")
r("Under Zhejiang's regulation, do test data and samples count as scientific and technological achievements?",
  [["样品"], ["数据"]], ZJ,
  "配方、样品和数据等非专利技术和信息", "第二条", "definition", lang="en", persona="enterprise")
r("国家科学技术进步奖说的创新性科学技术成果要具备什么条件？", [["技术创新性突出"], ["显著经济效益", "显著贡献"], ["重大贡献"]], A24,
  "在推动行业科学技术进步等方面有重大贡献", "第十一条", "definition", persona="staff")
r("北京條例裡，做技術諮詢、技術服務也算成果轉化活動嗎？", [["技术开发"], ["技术服务"], ["技术咨询"]], BJT,
  "包括在科技成果转化中开展的技术开发、技术服务", "第四十三条", "definition", lang="zh-Hant", persona="staff")
r("國家科學技術獎勵條例第一次修訂是哪一年？", [["2003年12月20日", "2003年"]], A24,
  "2003年12月20日", None, "history", lang="zh-Hant", persona="outreach")
r("中小企业促进法后来修订过吗？哪年？", [["2017年9月1日", "2017年"]], SME,
  "2017年9月1日 第十二届", None, "history", persona="enterprise")
r("When was Beijing's tech-transfer regulation passed, and by which body?",
  [["2019年11月27日", "November 27, 2019", "27 November 2019"], ["常务委员会", "Standing Committee"]], BJT,
  "2019年11月27日 北京市第十五届", None, "history", lang="en", persona="outreach")
r("按2020年版，获奖者和等级的决议审核后报谁批准？", [["报国务院批准"]], A20,
  "等级的决议进行审核，报国务院批准", "第二十一条", "version", persona="staff")
r("2020年版奖励条例说奖励工作坚持谁的领导？", [["中国共产党领导"]], A20,
  "坚持中国共产党领导", "第四条", "version", persona="staff")
r("現行獎勵條例規定獎勵工作堅持什麼領導？", [["党中央集中统一领导"]], A24,
  "坚持党中央集中统一领导", "第四条", "version", lang="zh-Hant", persona="staff")

# ---------------------------------------------------------------- absent provisions (no text says it)
trap("高新技术企业认定要求研发人员占职工总数的比例是多少？", "absent", persona="enterprise")
trap("中小企业促进法规定的小微企业贷款利率上限是多少？", "absent", persona="enterprise")
trap("申请国家自然科学基金项目的年龄上限是多少岁？", "absent", persona="staff")
trap("技术经纪人资格考试每年几月报名、在哪里考？", "absent", persona="outreach")
trap("What corporate income tax rate does the SME Promotion Law set for micro enterprises?", "absent", lang="en",
     persona="enterprise")
trap("促进科技成果转化法规定专利年费可以减免多少？", "absent", persona="enterprise")
trap("北京对外籍科技人才的个人所得税补贴标准是多少？", "absent", lang="zh-Hans", persona="enterprise")
trap("廣州青年創業擔保貸款最高可以貸多少錢？", "absent", lang="zh-Hant", persona="enterprise")
trap("How many months' maternity leave do female researchers get under the S&T Progress Law?", "absent", lang="en",
     persona="staff")

# ---------------------------------------------------------------- jurisdiction traps (places whose rules are not held)
trap("江苏省促进科技成果转化条例规定的科研人员奖励比例最低是多少？", "jurisdiction-trap", persona="staff")
trap("What is the minimum inventor reward share under Tianjin's municipal tech-transfer regulation?", "jurisdiction-trap",
     lang="en", persona="enterprise")
trap("成都市对新认定的高新技术企业奖励多少钱？", "jurisdiction-trap", persona="enterprise")
trap("武汉市青年创业的场租补贴标准是什么？", "jurisdiction-trap", persona="enterprise")
trap("重慶市的科技創新券每家企業每年最多能領多少？", "jurisdiction-trap", lang="zh-Hant", persona="enterprise")
trap("山东省高新技术产业发展条例里对技术转让所得怎么减税？", "jurisdiction-trap", persona="enterprise")
trap("Under Hubei's provincial rules, how fast must a university pay out a tech-transfer reward?", "jurisdiction-trap",
     lang="en", persona="staff")


def main() -> None:
    with (HERE / "questions.jsonl").open("w", encoding="utf-8") as f:
        for n, row in enumerate(ROWS, 1):
            f.write(json.dumps({"id": f"d{n:03d}", **row}, ensure_ascii=False) + "\n")
    print(f"wrote {len(ROWS)} rows")


if __name__ == "__main__":
    main()
