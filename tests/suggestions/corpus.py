"""A labelled set of residents' suggestions (written for the tests, not taken from the demo):
each row is (group, expected topic, text). Rows sharing a group say the same thing in other
words (near-duplicates); a group of one is a suggestion unlike any other."""

LABELLED = [
    # 养老服务
    ("meal", "elderly", "希望五山街道开办长者饭堂，老人每天吃饭很不方便"),
    ("meal", "elderly", "建议在五山街道设长者饭堂，老年人吃饭太不方便了"),
    ("meal", "elderly", "五山街道的老人吃饭不方便，能不能办一个长者饭堂"),
    ("daycare", "elderly", "社区日间照料中心开放时间太短，下午四点就关门，老人没地方去"),
    ("daycare", "elderly", "日间照料中心下午四点就关门了，开放时间太短，希望延长"),
    ("elder-alone", "elderly", "楼里有几位独居老人，希望社工定期上门探访，防止出意外"),
    ("ageing-home", "elderly", "家里老人行动不便，想申请适老化改造，不知道去哪里办"),
    # 儿童关爱
    ("after-school", "children", "双职工家庭孩子放学后没人照看，希望开设四点半课堂"),
    ("after-school", "children", "孩子放学后没人管，建议社区开设四点半课堂托管"),
    ("after-school", "children", "希望开设四点半课堂，双职工家庭的孩子放学没人照看"),
    ("left-behind", "children", "村里留守儿童多，暑假没人看管，希望组织儿童关爱活动"),
    ("playground", "children", "小区儿童游乐设施老化生锈，小朋友玩耍有安全隐患"),
    # 助残
    ("ramp", "disability", "社区服务中心门口没有无障碍坡道，坐轮椅的残疾人进不去"),
    ("ramp", "disability", "服务中心门口缺少无障碍坡道，轮椅进不去，残疾人很不方便"),
    ("blind-road", "disability", "人行道上的盲道被电动车和杂物占用，视障人士出行危险"),
    ("rehab", "disability", "希望社区开设残疾人康复训练服务，现在要跑很远去康复"),
    # 社区环境
    ("rubbish", "environment", "小区垃圾清运不及时，垃圾桶满了溢出来，臭味很大"),
    ("rubbish", "environment", "垃圾桶经常满了没人清运，臭味很大，希望及时清运垃圾"),
    ("rubbish", "environment", "垃圾清运太不及时了，垃圾桶满溢，夏天臭味很大"),
    ("streetlight", "environment", "村口道路的路灯坏了两个月，晚上出行很危险"),
    ("streetlight", "environment", "村口路灯坏了两个多月没人修，晚上走路很危险"),
    ("noise", "environment", "楼下餐馆油烟和噪音扰民，晚上十二点还很吵"),
    ("flooding", "environment", "一下大雨路口就积水，下水道排水不畅，希望疏通"),
    # 停车
    ("parking", "parking", "小区车位太少，晚上停车难，很多车乱停占用消防通道"),
    ("parking", "parking", "小区晚上停车难，车位严重不足，乱停车堵住消防通道"),
    ("parking", "parking", "车位不够，停车难，消防通道被乱停的车堵住了"),
    ("charging", "parking", "希望在小区增设电动车充电桩，现在大家飞线充电很危险"),
    ("charging", "parking", "小区缺少充电桩，电动车只能飞线充电，希望增设充电桩"),
    ("parking-fee", "parking", "路边停车费收得太高，附近停车场也不够用"),
    # 物业
    ("lift", "property", "老旧小区没有电梯，希望政府支持加装电梯，老人上下楼困难"),
    ("lift", "property", "希望支持老旧小区加装电梯，没有电梯老人上下楼太困难"),
    ("property-fee", "property", "物业公司服务差还要涨物业费，业主意见很大"),
    ("property-fee", "property", "物业服务很差却要上涨物业费，业主们都不满意"),
    ("leak", "property", "楼顶漏水好几次报给物业，物业一直拖着不维修"),
    # 就业
    ("job-fair", "employment", "希望街道多举办招聘会，提供一些适合中年人的就业岗位"),
    ("job-fair", "employment", "建议街道多办招聘会，给中年人提供合适的就业岗位"),
    ("skills", "employment", "失业人员希望参加免费的技能培训，学点手艺再就业"),
    ("gig", "employment", "希望建一个零工市场，让灵活就业的人找工作方便一些"),
    # 医疗
    ("clinic-queue", "medical", "社区卫生服务中心看病排队太久，挂号要等一上午"),
    ("clinic-queue", "medical", "社区卫生服务中心挂号看病要排队一上午，太久了"),
    ("family-doctor", "medical", "家庭医生签约后从来没有联系过，希望家庭医生能上门"),
    ("medicine", "medical", "卫生站常用药品经常缺货，老人买药要跑到大医院"),
    # 志愿服务
    ("volunteer-hours", "volunteering", "志愿服务时长一直没有录入系统，志愿者很有意见"),
    ("volunteer-hours", "volunteering", "参加志愿活动的服务时长迟迟没有录入，志愿者意见很大"),
    ("volunteer-join", "volunteering", "想参加社区志愿者队伍，不知道怎么报名志愿服务"),
    # 办事效率
    ("certificate", "efficiency", "开一个证明要来回跑好几趟，材料要求也说不清楚"),
    ("certificate", "efficiency", "办证明来回跑了好几趟，窗口对需要的材料说不清楚"),
    ("window", "efficiency", "办事大厅窗口太少，排队两个小时才办上，效率太低"),
    ("online", "efficiency", "很多手续网上办不了，还得到窗口盖章，希望推行一次办"),
    # 社会救助
    ("dibao", "assistance", "低保申请审核时间太长，困难群众等了三个月还没结果"),
    ("dibao", "assistance", "困难群众申请低保等了三个月还没有结果，审核太慢"),
    ("temp-aid", "assistance", "家里突发重病生活困难，想了解临时救助怎么申请"),
    # 文体活动
    ("gym", "culture", "广场上的健身器材坏了很久，希望更换新的健身器材"),
    ("gym", "culture", "健身器材坏了很久没人修，希望更换一批新的健身器材"),
    ("reading", "culture", "社区图书室周末不开放，上班族没时间去看书"),
]
