# Source of questions.jsonl, grouped by document for review. Regenerate: python3 tests/eval/policies/build_questions.py
import json, pathlib
CT = "policies/促进科技成果转化法(2015-08-29).md"
SME = "policies/中小企业促进法(2017-09-01).md"
STP = "policies/科学技术进步法(2021-12-24).md"
BJ = "policies/北京市促进科技成果转化条例(2019-11-27).md"
BJI = "policies/北京国际科技创新中心建设条例(2024-01-25).md"
ZJ = "policies/浙江省促进科技成果转化条例(2021-09-30).md"
GZ = "policies/广州市青年创新创业促进条例(2023-01-19).md"
HN = "policies/河南省促进高新技术产业发展条例(2011-06-13).md"
A20 = "policies/国家科学技术奖励条例(2020-10-07).md"
A24 = "policies/国家科学技术奖励条例(2024-05-26).md"

R = []
def a(q, expect, doc, support, article, kind, lang="zh-Hans", persona="enterprise"):
    R.append(dict(q=q, expect=expect, doc=doc, support=support, article=article, answerable=True, lang=lang, kind=kind, persona=persona))
def u(q, kind, lang="zh-Hans", expect=None, doc=None, support=None, article=None, persona="enterprise"):
    R.append(dict(q=q, expect=expect or [], doc=doc, support=support, article=article, answerable=False, lang=lang, kind=kind, persona=persona))

# ---- 中华人民共和国促进科技成果转化法 ----
a("手里有一项科技成果,按促进科技成果转化法可以通过哪几种方式来转化?",
  [["自行投资实施转化","自行投资"],["向他人转让","转让"],["许可他人使用","许可"],["共同实施转化","合作条件"],["作价投资"],["其他协商确定的方式","协商确定"]],
  CT, "以该科技成果作价投资", "第十六条", "list")
a("促进科技成果转化法里说的“职务科技成果”是什么意思?",
  [["工作任务"],["物质技术条件"]], CT, "主要是利用上述单位的物质技术条件", "第二条", "definition")
a("单位没定奖励办法的话,职务成果自己实施转化成功投产后,团队每年能从营业利润里分多少,分几年?",
  [["三至五年"],["不低于百分之五","不低于5%"]], CT, "连续三至五年", "第四十五条", "duration")
a("国家设立的高校转化科技成果拿到的钱,归谁所有?", [["全部留归本单位","留归本单位"]],
  CT, "所获得的收入全部留归本单位", "第四十三条", "article-lookup", persona="staff")
a("国家设立的研究院用协议定价方式卖成果,需要在单位里公示哪些内容?",
  [["科技成果名称"],["拟交易价格"]], CT, "公示科技成果名称和拟交易价格", "第十八条", "conditions", persona="staff")
a("两家单位合作转化科技成果,合同里没写权益怎么分,法律上怎么处理?",
  [["归该科技成果完成单位","完成单位"],["合作各方共有"],["合作各方同意"]],
  CT, "该新发明创造的权益归合作各方共有", "第四十条", "list")
a("促进科技成果转化法哪一条要求国家设立的高校、院所提交科技成果转化情况年度报告?",
  [["第二十一条"],["年度报告"]], CT, "提交科技成果转化情况年度报告", "第二十一条", "which-article", persona="staff")
a("科技服务机构故意出具虚假评估意见,情节严重的,由哪个部门吊销营业执照?",
  [["工商行政管理部门"]], CT, "由工商行政管理部门依法吊销营业执照", "第四十八条", "responsibility")
a("促进科技成果转化法第三十三条讲的是什么?",
  [["引导资金"],["贷款贴息"],["补助资金"],["风险投资"]], CT, "引导资金、贷款贴息、补助资金和风险投资", "第三十三条", "article-lookup", persona="staff")
a("Under China's national Law on Promoting the Transformation of S&T Achievements, if a unit has set no reward rule, what minimum share of the equity goes to key contributors when a service invention is invested as equity?",
  [["不低于百分之五十","50%","fifty percent"]], CT, "形成的股份或者出资比例中提取不低于百分之五十", "第四十五条", "bound", lang="en")
a("促進科技成果轉化法規定,國家設立的研究開發機構、高等院校的科技成果轉化年度報告要交給誰?",
  [["主管部门","主管部門"]], CT, "应当向其主管部门提交科技成果转化情况年度报告", "第二十一条", "responsibility", lang="zh-Hant", persona="staff")
a("我们公司在昆明。按照国家的促进科技成果转化法,高校把成果转让给我们,单位又没约定奖励的,发明团队最少能从转让净收入里拿多少?",
  [["不低于百分之五十","不低于50%"]], CT, "转让净收入或者许可净收入中提取不低于百分之五十", "第四十五条", "jurisdiction-trap")
a("促进科技成果转化法最早哪年通过,后来哪年修正的?",
  [["1996年5月15日","1996年"],["2015年8月29日","2015年"]], CT, "2015年8月29日", None, "history", persona="staff")

# ---- 中华人民共和国中小企业促进法 ----
a("中小企业促进法所称的中小企业指的是什么样的企业?",
  [["人员规模、经营规模相对较小"],["中型企业、小型企业和微型企业","微型企业"]], SME, "人员规模、经营规模相对较小的企业", "第二条", "definition")
u("按中小企业促进法,营业收入多少以下算小型企业?", "left-to-other-rules",
  expect=[["国务院负责中小企业促进工作综合管理的部门"]], doc=SME, support="结合行业特点制定，报国务院批准", article="第二条")
a("政府采购里给中小企业预留的份额至少要占多少?其中给小微企业的又是多少?",
  [["百分之三十以上","30%以上"],["不低于百分之六十","不低于60%"]], SME, "不低于百分之六十", "第四十条", "bound")
a("中小企业的统计调查和监测分析由哪个部门负责?", [["统计部门"]], SME, "统计部门应当加强对中小企业的统计调查", "第六条", "responsibility", persona="staff")
a("中小企业促进法第五十三条规定了什么?",
  [["不得违约拖欠"],["支付拖欠款"],["赔偿"]], SME, "中小企业有权要求拖欠方支付拖欠款", "第五十三条", "article-lookup")
a("哪些人创办小微企业可以按国家规定享受税收优惠和收费减免?",
  [["高等学校毕业生"],["退役军人"],["失业人员"],["残疾人员"]], SME, "高等学校毕业生、退役军人和失业人员", "第二十五条", "list")
a("Under the SME Promotion Law, which banks are required to set up inclusive-finance units to serve small and micro enterprises?",
  [["国有大型商业银行","large state-owned commercial banks"]], SME, "国有大型商业银行应当设立普惠金融机构", "第十七条", "responsibility", lang="en")
a("中小企業促進法規定,政府採購部門應當在哪裡公開發布採購資訊?",
  [["指定的媒体","指定的媒體"]], SME, "在政府采购监督管理部门指定的媒体上", "第四十条", "article-lookup", lang="zh-Hant")
a("中小企业促进法哪一条规定了涉企行政事业性收费目录清单制度?",
  [["第五十五条"],["目录清单"]], SME, "涉企行政事业性收费目录清单制度", "第五十五条", "which-article", persona="staff")
a("修订后的中小企业促进法从哪天起施行?", [["2018年1月1日"]], SME, "本法自2018年1月1日起施行", "第六十一条", "version", persona="staff")

# ---- 中华人民共和国科学技术进步法 ----
a("全国科技工作者日是每年的哪一天?", [["5月30日"]], STP, "每年5月30日为全国科技工作者日", "第十八条", "article-lookup", persona="outreach")
a("科学技术进步法规定财政性科学技术资金主要投到哪些方面?",
  [["科学技术基础条件与设施建设"],["基础研究和前沿交叉学科研究"],["社会公益性技术研究"],["高新技术产业化示范"],["生态环境和人民生命健康"],["农业新品种"],["科学技术人员的培养"],["科学技术普及"]],
  STP, "科学技术基础条件与设施建设", "第八十七条", "list", persona="staff")
a("按科学技术进步法,哪几类企业可以享受税收优惠?",
  [["高新技术产品研究开发、生产的企业","高新技术产品"],["科技型中小企业"],["投资初创科技型企业的创业投资企业","创业投资企业"],["其他企业"]],
  STP, "投资初创科技型企业的创业投资企业", "第四十三条", "list")
a("科学技术进步法鼓励企业开展哪些科技活动?",
  [["内部科学技术研究开发机构"],["合作研究"],["培养、吸引和使用科学技术人员"],["联合培养专业技术人才"],["博士后工作站"],["科学技术普及活动"]],
  STP, "设立内部科学技术研究开发机构", "第四十条", "list")
a("科研院所按科学技术进步法有哪些自主权利?",
  [["学术活动"],["自主确定科学技术研究开发方向和项目","自主确定"],["联合开展科学技术研究开发"],["社会捐赠和资助"],["其他权利"]],
  STP, "依法组织或者参加学术活动", "第五十条", "list", persona="staff")
a("科研单位负责人搞成果转化出现决策失误,什么条件下可以免除决策责任?",
  [["合理注意义务"],["监督管理职责"],["未牟取非法利益"]], STP, "尽到合理注意义务和监督管理职责", "第九十七条", "conditions", persona="staff")
a("用财政项目形成的知识产权想独占许可给境外公司,要经过谁批准?",
  [["项目管理机构"]], STP, "应当经项目管理机构批准", "第三十四条", "responsibility")
a("高校科研人员可以出去兼职拿钱吗?有什么前提?",
  [["履行岗位职责"],["完成本职工作"],["不发生利益冲突"],["经所在单位同意"]], STP, "不发生利益冲突的前提下", "第六十条", "conditions", persona="staff")
u("科学技术进步法对国防科学技术进步的具体事项是怎么规定的?", "left-to-other-rules",
  expect=[["国务院、中央军事委员会","中央军事委员会"]], doc=STP, support="由国务院、中央军事委员会规定", article="第一百一十六条", persona="staff")
u("用国家的大型科研仪器、科学数据这些科技资源,收费标准是多少?", "left-to-other-rules",
  expect=[["管理单位"]], doc=STP, support="按照国家有关规定确定收费标准", article="第一百零二条")
a("What does Article 91 of the Science and Technology Progress Law require government procurement to do with innovative products that enter the market for the first time?",
  [["率先购买","buy first","purchase first","first to buy"],["商业业绩","commercial track record","business record","commercial performance"]],
  STP, "政府采购应当率先购买", "第九十一条", "article-lookup", lang="en")
a("Which article of the Science and Technology Progress Law sets a national day for science and technology workers?",
  [["第十八条","Article 18"]], STP, "全国科技工作者日", "第十八条", "which-article", lang="en", persona="outreach")
a("科學技術進步法第一百零七條禁止哪些科學技術研究開發和應用活動?",
  [["危害国家安全","危害國家安全"],["损害社会公共利益","損害社會公共利益"],["危害人体健康","危害人體健康"],["违背科研诚信和科技伦理","違背科研誠信和科技倫理","科研诚信"]],
  STP, "违背科研诚信和科技伦理的科学技术研究开发", "第一百零七条", "list", lang="zh-Hant")
a("科學技術進步法（2021年修訂）從哪一天開始施行?", [["2022年1月1日"]], STP, "本法自2022年1月1日起施行", "第一百一十七条", "version", lang="zh-Hant", persona="staff")
u("科学技术进步法对科研人员的退休年龄有什么特殊规定?", "absent", persona="staff")

# ---- 北京市促进科技成果转化条例 ----
a("在北京,政府设立的高校把职务科技成果许可给企业,奖励给团队的比例最低可以是多少?",
  [["不低于百分之七十","不低于70%"]], BJ, "许可净收入中提取不低于百分之七十", "第十二条", "bound")
a("北京条例里,职务成果自行实施转化的,营业利润奖励从什么时候起算、持续多久?",
  [["开始盈利的年度"],["五年"],["不低于百分之五","不低于5%"]], BJ, "从开始盈利的年度起连续五年内", "第十二条", "duration")
a("北京市促进科技成果转化条例说的“净收入”怎么算?",
  [["相关税金"],["维护该科技成果的费用"],["直接成本"]], BJ, "维护该科技成果的费用", "第十二条", "definition", persona="staff")
a("北京市促进科技成果转化条例所称科技成果都包括什么?",
  [["专利技术"],["计算机软件"],["技术秘密"],["集成电路布图设计"],["植物新品种"],["新药"],["设计图"],["配方"]],
  BJ, "集成电路布图设计、植物新品种", "第四十三条", "definition")
a("北京的政府设立的高校、院所要明确专门机构或人员负责哪些科技成果转化工作?",
  [["受理科技成果登记"],["分析科技成果应用价值"],["权利分配及转化方案"],["后续试验、开发"],["知识产权"],["其他工作"]],
  BJ, "分析科技成果应用价值", "第十六条", "list", persona="staff")
a("北京:企业在成果转化中弄虚作假骗取奖励,但没有违法所得,要罚多少钱?",
  [["五万元以上十万元以下"]], BJ, "处以五万元以上十万元以下的罚款", "第四十条", "bound")
a("北京市财政资金科技项目的承担者不交科技报告,情节严重的,几年内不能再申报?",
  [["三年"]], BJ, "取消其三年内申报本市财政资金", "第三十九条", "duration")
u("北京市科技成果信息系统的管理、使用办法具体是怎么规定的?", "left-to-other-rules",
  expect=[["市科学技术部门"]], doc=BJ, support="由市科学技术部门另行制定", article="第三十条", persona="staff")
a("北京市的政府设立的研发机构、高校有哪些情形会被主管部门责令限期改正?",
  [["未按规定制定科技成果转化管理制度","管理制度"],["阻碍科技成果完成人依法转化","拒绝提供相关技术资料"],["公示科技成果转化奖励和报酬情况","奖励和报酬"]],
  BJ, "未按规定制定科技成果转化管理制度的", "第四十一条", "conditions", persona="staff")
a("北京市促进科技成果转化条例第十条规定了什么?",
  [["自主决定实施转化","自主决定"],["不需审批或者备案"],["资产评估"],["留归本单位"]], BJ, "不需审批或者备案", "第十条", "article-lookup")
a("Under the Beijing regulation on transforming S&T achievements, how long can a registered service invention sit unused by the institution before the inventor may commercialise it on their own?",
  [["超过一年","一年","one year","1 year"]], BJ, "无正当理由超过一年未组织实施转化", "第十一条", "duration", lang="en")
a("北京市促進科技成果轉化條例從什麼時候開始施行?", [["2020年1月1日"]], BJ, "本条例自2020年1月1日起施行", "第四十五条", "version", lang="zh-Hant", persona="staff")
u("北京市促进科技成果转化条例规定,中小微企业使用首都科技条件平台,科技创新券每张面额是多少?", "absent")

# ---- 北京国际科技创新中心建设条例 ----
a("北京国际科技创新中心建设以哪些区域为主要平台?",
  [["中关村国家自主创新示范区"],["中关村科学城"],["怀柔科学城"],["未来科学城"],["创新型产业集群示范区"]],
  BJI, "怀柔科学城、未来科学城", "第十三条", "list", persona="outreach")
a("北京国际科技创新中心建设由哪个部门牵头推进?", [["市科学技术部门"]], BJI, "市科学技术部门牵头推进", "第八条", "responsibility", persona="staff")
a("北京哪些单位需要设立科技伦理审查委员会?",
  [["生命科学"],["医学"],["人工智能"],["科技伦理敏感领域"]], BJI, "研究内容涉及科技伦理敏感领域", "第六十一条", "conditions")
a("北京市财政科技项目申报时,能不能把职称、论文、奖项当作门槛?",
  [["不得","不能"],["限制性条件"]], BJI, "不得将职称、论文、奖项等作为申报", "第五十条", "article-lookup")
a("北京的事业单位为急需紧缺人才设的特设岗位,受不受岗位总量限制?",
  [["不受岗位总量和结构比例限制","不受"]], BJI, "特设岗位不受岗位总量和结构比例限制", "第四十条", "conditions", persona="staff")
u("北京向社会开放共享的大型科学仪器设备,使用收费标准是多少?", "left-to-other-rules",
  expect=[["相关管理单位","管理单位"]], doc=BJI, support="服务流程、收费标准等信息", article="第五十五条")
a("Who adopted the Beijing International Science and Technology Innovation Center Regulations, and on what date?",
  [["北京市第十六届人民代表大会第二次会议","人民代表大会","People's Congress"],["2024年1月25日","January 25, 2024","25 January 2024"]],
  BJI, "2024年1月25日", None, "history", lang="en", persona="outreach")
a("Under the Beijing International S&T Innovation Center Regulations, can a foreign national lead a major Beijing research project?",
  [["主持人","principal investigator","project leader","lead"],["首席科学家","chief scientist"]], BJI, "担任本市重大科研项目主持人或者首席科学家", "第七十二条", "conditions", lang="en")
a("北京國際科技創新中心建設條例何時起施行?", [["2024年3月1日"]], BJI, "本条例自2024年3月1日起施行", "第七十六条", "version", lang="zh-Hant", persona="staff")

# ---- 浙江省促进科技成果转化条例 ----
a("浙江的高校用协议方式给科技成果定价,公示时间至少多久?",
  [["十五日","15日","15天"]], ZJ, "公示时间不得少于十五日", "第十七条", "duration", persona="staff")
a("浙江省属高校把职务成果作价投资转化,奖励团队的比例不低于多少?",
  [["不低于百分之七十","不低于70%"]], ZJ, "出资比例中提取不低于百分之七十", "第三十七条", "bound")
a("浙江:职务科技成果自行实施的,奖励怎么从营业利润里提?",
  [["五年内"],["不低于百分之十","不低于10%"]], ZJ, "营业利润中提取不低于百分之十", "第三十七条", "bound")
a("浙江条例规定,承担转化的技术转移机构工作人员和管理人员至少能分到奖励总额的多少?",
  [["不低于奖励总额的百分之五","百分之五"]], ZJ, "不低于奖励总额的百分之五", "第三十七条", "bound", persona="staff")
a("浙江单位没在制度里规定奖励支付期限,也没签协议,奖励最晚什么时候要发?",
  [["六个月内","六个月"],["股权登记或者变更"]], ZJ, "取得科技成果转化收入之日起六个月内", "第四十条", "duration", persona="staff")
a("浙江的政府设立的高校、院所每年什么时候之前要报科技成果转化年度报告?",
  [["三月三十日","3月30日"]], ZJ, "在每年三月三十日前", "第二十八条", "duration", persona="staff")
a("浙江省促进科技成果转化条例哪一条规定了科技创新券?",
  [["第二十二条"],["科技创新券"]], ZJ, "科技创新券可以在全省范围内使用", "第二十二条", "which-article")
u("浙江的科技创新券每家企业每年最多能领多少钱?", "left-to-other-rules",
  expect=[["省科技主管部门会同省财政部门","省科技主管部门"]], doc=ZJ, support="由省科技主管部门会同省财政部门制定", article="第二十二条")
a("浙江条例中“科技成果转化”的定义,比国家法多出了哪些形成物?",
  [["新服务"],["新标准"]], ZJ, "新产品、新服务、新标准", "第二条", "definition", persona="staff")
a("浙江条例所称“对完成、转化职务科技成果做出重要贡献的人员”包括哪些人?",
  [["职务科技成果完成人"],["科技人员"],["技术转移机构工作人员"],["相关管理人员"]], ZJ, "技术转移机构工作人员以及相关管理人员", "第二十八条", "definition", persona="staff")
a("浙江的高校没有建立职务科技成果管理制度,情节严重会怎样?",
  [["通报批评"],["三年内不得承担"]], ZJ, "三年内不得承担利用财政资金设立的科技项目", "第四十五条", "responsibility", persona="staff")
a("杭州一所省属高校转让专利给企业,按本省条例,团队奖励比例不低于多少?",
  [["不低于百分之七十","不低于70%"]], ZJ, "许可所取得的净收入中提取不低于百分之七十", "第三十七条", "jurisdiction-trap")
a("In Zhejiang, how long must a government-run university publicly post a negotiated technology price before the deal?",
  [["十五日","15 days","fifteen days"]], ZJ, "公示时间不得少于十五日", "第十七条", "duration", lang="en")
a("浙江省條例規定,國有企業事業單位發給科技人員的成果轉化獎勵要公示多久?",
  [["不少于十五日","十五日","不少於十五日"]], ZJ, "公示时间不少于十五日", "第三十九条", "duration", lang="zh-Hant", persona="staff")
u("浙江省條例規定科技特派員每月補貼多少錢?", "left-to-other-rules", lang="zh-Hant",
  expect=[["国家和省有关规定","國家和省有關規定"]], doc=ZJ, support="按照国家和省有关规定执行", article="第三十二条")
a("浙江省促进科技成果转化条例是哪年通过的,后来修订和修正过几次?",
  [["2004年1月16日","2004年"],["2017年3月30日","2017年"],["2021年9月29日","2021年"]], ZJ, "2017年3月30日", None, "history", persona="staff")

# ---- 广州市青年创新创业促进条例 ----
a("广州的青年创新创业促进条例里,“青年”指多大年龄的人?",
  [["三十五周岁以下","35周岁以下"],["四十五周岁"]], GZ, "其年龄在三十五周岁以下", "第二条", "definition")
a("广州的青年创新创业协调制度每年至少开几次全体会议?日常工作谁负责?",
  [["至少召开一次"],["共产主义青年团委员会","共青团"]], GZ, "每年至少召开一次全体成员会议", "第四条", "responsibility", persona="staff")
a("南沙区要采取哪些措施支持港澳青年来创新创业?",
  [["综合性创客社区","创客社区"],["面向港澳青年的创新创业空间","专门面向港澳青年"],["税收优惠"],["赛事和培训"],["其他"]],
  GZ, "支持建设集经营办公、生活居住", "第二十四条", "list")
a("广州市青年创新创业促进条例第二十五条讲的是什么?",
  [["包容审慎监管"],["原始记录"],["结题"],["不受影响"]], GZ, "实行包容审慎监管", "第二十五条", "article-lookup")
u("广州青年到孵化载体创业,租金补贴标准是每平方米多少钱?", "left-to-other-rules",
  expect=[["市、区人民政府"]], doc=GZ, support="具体办法由市、区人民政府制定", article="第十三条")
a("In Guangzhou's youth innovation and entrepreneurship regulation, which body handles the day-to-day work of the coordination system?",
  [["共产主义青年团委员会","Communist Youth League","Youth League"]], GZ, "日常工作由同级共产主义青年团委员会承担", "第四条", "responsibility", lang="en")
a("廣州市青年創新創業促進條例什麼時候施行?是哪個機關批准的?",
  [["2023年3月1日"],["广东省第十三届人民代表大会常务委员会","广东省","廣東省"]], GZ, "本条例自2023年3月1日起施行", "第二十七条", "version", lang="zh-Hant", persona="staff")
a("广州青年创新人才工作站免费提供哪些服务?",
  [["政策指引"],["场地对接"],["培训交流"],["政务咨询"]], GZ, "政策指引、场地对接、培训交流、政务咨询", "第十一条", "list", persona="outreach")
u("广州市对青年创业担保贷款的额度上限是多少?", "absent")

# ---- 河南省促进高新技术产业发展条例 ----
a("河南条例规定企业研发费用怎么加计扣除?形成无形资产的怎么摊销?",
  [["百分之五十"],["百分之一百五十"]], HN, "按照无形资产成本的百分之一百五十摊销", "第十五条", "bound")
a("在河南,居民企业技术转让所得多少以内免征企业所得税?超过的部分呢?",
  [["五百万元"],["减半征收"]], HN, "技术转让所得未超过五百万元的部分", "第十六条", "bound")
a("河南的创投企业投资未上市中小高新技术企业,投多久、按多少比例可以抵扣应纳税所得额?",
  [["二年以上","满二年"],["百分之七十"]], HN, "按照其投资额的百分之七十", "第四十六条", "conditions")
a("河南:骗取高新技术企业资格享受优惠,没有违法所得的罚多少?",
  [["二万元以上五万元以下"]], HN, "处二万元以上五万元以下罚款", "第五十七条", "bound")
a("河南条例规定国家工作人员有哪些情形会被给予行政处分?",
  [["未按规定条件、标准或者程序认定"],["违反规定审批专项资金"],["违反规定实施检查"],["徇私舞弊"],["其他违法行使职权"]],
  HN, "违反规定审批专项资金或者其他扶持资金的", "第五十八条", "list", persona="staff")
a("河南的科研单位职务科技成果多久没转化,完成人就可以按协议自己转化?",
  [["一年内","一年"]], HN, "在一年内未能实施转化的", "第十四条", "duration")
a("郑州的高新技术企业,按本省条例企业所得税税率是多少?",
  [["百分之十五","15%"]], HN, "按照百分之十五的税率征收企业所得税", "第十七条", "jurisdiction-trap")
a("What corporate income tax rate do certified high-tech enterprises pay under Henan Province's regulation on high-tech industry?",
  [["百分之十五","15%","fifteen percent"]], HN, "按照百分之十五的税率征收企业所得税", "第十七条", "bound", lang="en")
a("河南省條例對財政科技經費的增長幅度有什麼要求?",
  [["高于本级财政经常性收入的增长幅度","高於本級財政經常性收入的增長幅度","高于"]], HN, "应当高于本级财政经常性收入的增长幅度", "第四十条", "bound", lang="zh-Hant", persona="staff")
a("河南省促进高新技术产业发展条例哪天通过、哪天开始施行?",
  [["2011年6月10日"],["2011年8月1日"]], HN, "本条例自2011年8月1日起施行", "第五十九条", "history", persona="staff")
u("河南条例规定高新技术企业认定时,高新技术产品收入要占总收入的多少比例?", "absent")

# ---- 国家科学技术奖励条例 (2020 / 2024) ----
a("现行国家科学技术奖励条例规定,国家最高科学技术奖每次最多授予几人?",
  [["不超过2名","2名"]], A24, "每次授予人数不超过2名", "第八条", "version", persona="outreach")
a("按现行的国家科学技术奖励条例,国家最高科学技术奖的奖金数额怎么定?",
  [["会同财政部门提出"],["报党中央、国务院批准","党中央"]], A24, "会同财政部门提出，报党中央、国务院批准", "第二十五条", "version", persona="staff")
a("2020年版国家科学技术奖励条例中,国家最高科学技术奖的奖金数额由谁规定?",
  [["由国务院规定"]], A20, "国家最高科学技术奖的奖金数额由国务院规定", "第二十五条", "version", persona="staff")
a("2020年修订的国家科学技术奖励条例现在还有效吗?",
  [["2024年5月26日","2024年"],["第四次修订","修订"]], A24, "2024年5月26日", None, "version", persona="staff")
a("国家科学技术奖励条例一共修订过几次?最近一次是什么时候?",
  [["第四次修订","四次"],["2024年5月26日"]], A24, "2024年5月26日", None, "history", persona="staff")
a("2024年修订后,国家科学技术奖励条例第四条新增了什么内容?",
  [["重大事项"],["报党中央"]], A24, "国家科学技术奖励工作重大事项", "第四条", "history", persona="staff")
a("2020年版国家科学技术奖励条例第七条规定,奖励委员会组成人员人选报谁批准?",
  [["报国务院批准"]], A20, "报国务院批准", "第七条", "version", persona="staff")
a("Under the 2020 version of the State Science and Technology Awards Regulations, whose approval was needed before an award obtained by fraud could be revoked?",
  [["报国务院批准","State Council"]], A20, "报国务院批准后撤销奖励", "第三十条", "version", lang="en", persona="staff")
a("現行《國家科學技術獎勵條例》規定,國家自然科學獎分為幾個等級?",
  [["一等奖、二等奖","2个等级","一等獎、二等獎"],["特等奖","特等獎"]], A24, "分为一等奖、二等奖2个等级", "第十二条", "version", lang="zh-Hant")
a("哪些情形下个人或单位不能被提名国家科学技术奖?",
  [["危害国家安全"],["科研不端行为"],["其他情形"]], A24, "有科研不端行为", "第十六条", "conditions")
a("社会力量设立科学技术奖,可以向参评者收费吗?",
  [["不得收取任何费用"]], A24, "在奖励活动中不得收取任何费用", "第三十七条", "article-lookup")
a("国家科学技术奖励条例2024年修订的文本,写的施行日期是哪天?",
  [["2020年12月1日"]], A24, "本条例自2020年12月1日起施行", "第三十八条", "version", persona="staff")
u("国家科学技术进步奖一等奖的奖金是多少钱?", "left-to-other-rules",
  expect=[["国务院科学技术行政部门会同财政部门","会同财政部门规定"]], doc=A24, support="会同财政部门规定", article="第二十五条")
a("The current State Science and Technology Awards Regulations: may a province set up more than one provincial science and technology award?",
  [["一项","one","only one"]], A24, "可以设立一项省级科学技术奖", "第三十六条", "conditions", lang="en", persona="staff")

# ---- jurisdiction traps and absent provisions ----
u("昆明市促进科技成果转化条例规定,高校转让成果给团队的奖励不低于多少?", "jurisdiction-trap")
u("上海市促进科技成果转化条例对职务科技成果的奖励比例是怎么规定的?", "jurisdiction-trap")
u("What does the Shanghai regulation on promoting the transformation of S&T achievements say about inventors' share of licensing income?", "jurisdiction-trap", lang="en")
u("廣東省促進科技成果轉化條例規定,協議定價要公示多少天?", "jurisdiction-trap", lang="zh-Hant")
u("云南省促进高新技术产业发展条例对高新技术企业有哪些税收优惠?", "jurisdiction-trap", persona="staff")
u("深圳经济特区科技创新条例对青年创业有什么扶持规定?", "jurisdiction-trap")
u("促进科技成果转化法规定技术经纪人需要取得什么职业资格证书?", "absent")
u("中小企业促进法规定小微企业增值税的起征点是多少?", "absent")
u("Under the national S&T Progress Law, what is the maximum amount of a single state basic-research grant?", "absent", lang="en")

for i, r in enumerate(R, 1):
    r["id"] = f"p{i:03d}"
keys = ["id","q","expect","doc","support","article","answerable","lang","kind","persona"]
out = pathlib.Path(__file__).with_name("questions.jsonl")
out.write_text("".join(json.dumps({k: r[k] for k in keys}, ensure_ascii=False) + "\n" for r in R), encoding="utf-8")
print(len(R), "rows ->", out)
