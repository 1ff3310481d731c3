<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ko_KR">
<context>
    <name>ApiError</name>
    <message>
        <source>Backup paths</source>
        <translation>백업 경로</translation>
    </message>
    <message>
        <source>Excludes</source>
        <translation>제외 패턴</translation>
    </message>
    <message>
        <source>Backup interval</source>
        <translation>백업 주기</translation>
    </message>
    <message>
        <source>Weekday</source>
        <translation>요일</translation>
    </message>
    <message>
        <source>Backup time</source>
        <translation>백업 시각</translation>
    </message>
    <message>
        <source>Retention</source>
        <translation>보관 주기</translation>
    </message>
    <message>
        <source>Pre-backup command</source>
        <translation>백업 전 명령</translation>
    </message>
    <message>
        <source>Post-backup command</source>
        <translation>백업 후 명령</translation>
    </message>
    <message>
        <source>Command timeout</source>
        <translation>명령 제한 시간</translation>
    </message>
    <message>
        <source>Bandwidth limit</source>
        <translation>대역폭 제한</translation>
    </message>
    <message>
        <source>Restore destination</source>
        <translation>복구 위치</translation>
    </message>
    <message>
        <source>Contact</source>
        <translation>연락처</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>메모</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>사유</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>메시지</translation>
    </message>
    <message>
        <source>Login</source>
        <translation>로그인 ID</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>비밀번호</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>이름</translation>
    </message>
    <message>
        <source>Time zone</source>
        <translation>시간대</translation>
    </message>
    <message>
        <source>Report recipients</source>
        <translation>보고서 수신자</translation>
    </message>
    <message>
        <source>Report time</source>
        <translation>보고서 발송 시각</translation>
    </message>
    <message>
        <source>Month</source>
        <translation>월</translation>
    </message>
    <message>
        <source>The server cannot be reached. Check the address and your network connection.</source>
        <translation>서버에 연결할 수 없습니다. 주소와 네트워크 연결을 확인하십시오.</translation>
    </message>
    <message>
        <source>The server did not answer in time. Try again in a moment.</source>
        <translation>서버가 제시간에 응답하지 않았습니다. 잠시 후 다시 시도하십시오.</translation>
    </message>
    <message>
        <source>The server&apos;s certificate is not the one this console trusts. If you did not expect a change, do not continue.</source>
        <translation>서버의 인증서가 이 콘솔이 신뢰하는 인증서가 아닙니다. 인증서 교체를 안내받지 않았다면 계속하지 마십시오.</translation>
    </message>
    <message>
        <source>The server sent an answer the console does not understand.</source>
        <translation>서버가 콘솔이 이해할 수 없는 응답을 보냈습니다.</translation>
    </message>
    <message>
        <source>The request was cancelled.</source>
        <translation>요청이 취소되었습니다.</translation>
    </message>
    <message>
        <source>The login or password is wrong.</source>
        <translation>로그인 ID 또는 비밀번호가 올바르지 않습니다.</translation>
    </message>
    <message>
        <source>Your session has expired. Please log in again.</source>
        <translation>세션이 만료되었습니다. 다시 로그인하십시오.</translation>
    </message>
    <message>
        <source>You are not allowed to do this.</source>
        <translation>이 작업을 수행할 권한이 없습니다.</translation>
    </message>
    <message>
        <source>It no longer exists on the server (it may have been removed).</source>
        <translation>대상이 서버에 더 이상 존재하지 않습니다(삭제되었을 수 있습니다).</translation>
    </message>
    <message>
        <source>The server could not read the request.</source>
        <translation>서버가 요청을 읽을 수 없습니다.</translation>
    </message>
    <message>
        <source>A value</source>
        <translation>입력한 값</translation>
    </message>
    <message>
        <source>%1 is not valid: %2</source>
        <translation>%1 값이 올바르지 않습니다: %2</translation>
    </message>
    <message numerus="yes">
        <source>Too many failed logins. Try again in %n second(s).</source>
        <translation>
            <numerusform>로그인 실패 횟수가 너무 많습니다. %n초 후에 다시 시도하십시오.</numerusform>
        </translation>
    </message>
    <message>
        <source>Too many failed logins. Try again later.</source>
        <translation>로그인 실패 횟수가 너무 많습니다. 나중에 다시 시도하십시오.</translation>
    </message>
    <message>
        <source>This server has no backup policy yet. Set one on the Policy tab first.</source>
        <translation>이 서버에는 아직 백업 정책이 없습니다. 먼저 백업 정책 탭에서 정책을 설정하십시오.</translation>
    </message>
    <message>
        <source>The job has already finished.</source>
        <translation>작업이 이미 종료되었습니다.</translation>
    </message>
    <message>
        <source>The backup storage is full. New backups are refused until space is freed; restores still work.</source>
        <translation>백업 스토리지가 가득 찼습니다. 공간이 확보될 때까지 새 백업은 거부되며, 복구는 계속 가능합니다.</translation>
    </message>
    <message>
        <source>This cannot be done in the current state; someone else may have changed it. The view has been refreshed.</source>
        <translation>현재 상태에서는 할 수 없는 작업입니다. 다른 사용자가 변경했을 수 있습니다. 화면을 다시 불러왔습니다.</translation>
    </message>
    <message>
        <source>The destination server has been removed.</source>
        <translation>복구 대상 서버가 삭제되었습니다.</translation>
    </message>
    <message>
        <source>The snapshot no longer exists (retention removed it).</source>
        <translation>스냅샷이 더 이상 없습니다(보관 주기가 지나 삭제되었습니다).</translation>
    </message>
    <message>
        <source>The request was not valid: %1</source>
        <translation>요청이 올바르지 않습니다: %1</translation>
    </message>
    <message>
        <source>The snapshot&apos;s data is not complete on the server.</source>
        <translation>서버에 있는 스냅샷 데이터가 완전하지 않습니다.</translation>
    </message>
    <message>
        <source>The server failed to handle the request (%1). Try again; if it persists, contact the operator.</source>
        <translation>서버가 요청을 처리하지 못했습니다(%1). 다시 시도하고, 문제가 계속되면 운영자에게 문의하십시오.</translation>
    </message>
    <message>
        <source>The server refused the request: %1</source>
        <translation>서버가 요청을 거부했습니다: %1</translation>
    </message>
    <message>
        <source>The server refused the request (HTTP %1).</source>
        <translation>서버가 요청을 거부했습니다(HTTP %1).</translation>
    </message>
    <message>
        <source>The server&apos;s certificate is not valid for this address (%1). Use the address your operator gave you.</source>
        <translation>서버 인증서가 이 주소에 유효하지 않습니다(%1). 운영자가 알려 준 주소를 사용하십시오.</translation>
    </message>
</context>
<context>
    <name>Format</name>
    <message>
        <source>%1/s</source>
        <translation>%1/s</translation>
    </message>
    <message numerus="yes">
        <source>%n s</source>
        <translation>
            <numerusform>%n초</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 min %2 s</source>
        <translation>%1분 %2초</translation>
    </message>
    <message>
        <source>%1 h %2 min</source>
        <translation>%1시간 %2분</translation>
    </message>
    <message>
        <source>%1 d %2 h</source>
        <translation>%1일 %2시간</translation>
    </message>
    <message>
        <source>estimating…</source>
        <translation>계산 중…</translation>
    </message>
    <message>
        <source>less than a minute left</source>
        <translation>1분 이내 남음</translation>
    </message>
    <message>
        <source>about %1 left</source>
        <translation>약 %1 남음</translation>
    </message>
    <message>
        <source>in %1</source>
        <translation>%1 후</translation>
    </message>
    <message>
        <source>%1 ago</source>
        <translation>%1 전</translation>
    </message>
    <message>
        <source>Waiting</source>
        <translation>대기</translation>
    </message>
    <message>
        <source>Running</source>
        <translation>진행 중</translation>
    </message>
    <message>
        <source>Succeeded</source>
        <translation>성공</translation>
    </message>
    <message>
        <source>Completed with warnings</source>
        <translation>경고</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>실패</translation>
    </message>
    <message>
        <source>Missed</source>
        <translation>누락</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>취소됨</translation>
    </message>
    <message>
        <source>Backup</source>
        <translation>백업</translation>
    </message>
    <message>
        <source>Restore</source>
        <translation>복구</translation>
    </message>
    <message>
        <source>Submitted</source>
        <translation>신청됨</translation>
    </message>
    <message>
        <source>Accepted</source>
        <translation>접수됨</translation>
    </message>
    <message>
        <source>Restoring</source>
        <translation>복구 중</translation>
    </message>
    <message>
        <source>Completed</source>
        <translation>완료</translation>
    </message>
    <message>
        <source>Rejected</source>
        <translation>반려됨</translation>
    </message>
    <message>
        <source>On track</source>
        <translation>정상</translation>
    </message>
    <message>
        <source>At risk</source>
        <translation>임박</translation>
    </message>
    <message>
        <source>Overdue</source>
        <translation>기한 초과</translation>
    </message>
    <message>
        <source>Met</source>
        <translation>준수</translation>
    </message>
    <message>
        <source>Missed</source>
        <comment>SLA: finished after its due time</comment>
        <translation>미준수</translation>
    </message>
</context>
<context>
    <name>cairn::console::AllBillingPage</name>
    <message>
        <source>Estimate (month not over)</source>
        <translation>예상 요금(해당 월 진행 중)</translation>
    </message>
    <message>
        <source>Final</source>
        <translation>확정</translation>
    </message>
    <message>
        <source>No statements for %1: no tenant was active that month, or no prices are set.</source>
        <translation>%1 청구서가 없습니다. 해당 월에 활성화된 고객사가 없거나 요금이 설정되지 않았습니다.</translation>
    </message>
    <message numerus="yes">
        <source>%n statement(s) for %1; total %2</source>
        <translation>
            <numerusform>%1 청구서 %n건, 합계 %2</numerusform>
        </translation>
    </message>
    <message>
        <source>The statements of %1 are not loaded yet.</source>
        <translation>%1 청구서를 아직 불러오지 않았습니다.</translation>
    </message>
    <message>
        <source>%1 could not be written: %2</source>
        <translation>%1 파일을 저장할 수 없습니다: %2</translation>
    </message>
    <message>
        <source>Statements of %1 saved to %2.</source>
        <translation>%1 청구서를 %2에 저장했습니다.</translation>
    </message>
    <message>
        <source>Export statements as CSV</source>
        <translation>청구서를 CSV로 내보내기</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>CSV 파일 (*.csv)</translation>
    </message>
    <message>
        <source>&amp;Month:</source>
        <translation>월(&amp;M):</translation>
    </message>
    <message>
        <source>Tenant</source>
        <translation>고객사</translation>
    </message>
    <message>
        <source>Statement</source>
        <translation>청구서 구분</translation>
    </message>
    <message>
        <source>Active days</source>
        <translation>사용 일수</translation>
    </message>
    <message>
        <source>Base fee</source>
        <translation>기본 월정액</translation>
    </message>
    <message>
        <source>Total</source>
        <translation>합계</translation>
    </message>
    <message>
        <source>Currency</source>
        <translation>통화</translation>
    </message>
    <message>
        <source>&amp;Export CSV…</source>
        <translation>CSV 내보내기(&amp;E)…</translation>
    </message>
    <message>
        <source>Save every tenant&apos;s statement of this month as a CSV file</source>
        <translation>선택한 월의 모든 고객사 청구서를 CSV 파일로 저장합니다</translation>
    </message>
    <message>
        <source>Billing (all tenants)</source>
        <translation>청구서(전체 고객사)</translation>
    </message>
</context>
<context>
    <name>cairn::console::AuditModel</name>
    <message>
        <source>user %1</source>
        <translation>사용자 %1</translation>
    </message>
    <message>
        <source>agent %1</source>
        <translation>에이전트 %1</translation>
    </message>
    <message>
        <source>Cairn</source>
        <translation>Cairn</translation>
    </message>
    <message>
        <source>%1 from %2</source>
        <translation>%1 (%2에서)</translation>
    </message>
    <message>
        <source>—</source>
        <translation>—</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>시각</translation>
    </message>
    <message>
        <source>Actor</source>
        <translation>수행자</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>작업</translation>
    </message>
    <message>
        <source>Tenant</source>
        <translation>고객사</translation>
    </message>
    <message>
        <source>Detail</source>
        <translation>상세 내용</translation>
    </message>
</context>
<context>
    <name>cairn::console::AuditPage</name>
    <message>
        <source>&amp;Tenant:</source>
        <translation>고객사(&amp;T):</translation>
    </message>
    <message>
        <source>All tenants</source>
        <translation>전체 고객사</translation>
    </message>
    <message>
        <source>&amp;Action contains:</source>
        <translation>작업 이름에 포함(&amp;A):</translation>
    </message>
    <message>
        <source>e.g. ticket. or policy</source>
        <translation>예: ticket. 또는 policy</translation>
    </message>
    <message>
        <source>Audit log</source>
        <translation>감사 로그</translation>
    </message>
</context>
<context>
    <name>cairn::console::BillingPage</name>
    <message>
        <source>Base fee</source>
        <translation>기본 월정액</translation>
    </message>
    <message>
        <source>Extra servers</source>
        <translation>추가 서버</translation>
    </message>
    <message>
        <source>Extra storage</source>
        <translation>추가 스토리지</translation>
    </message>
    <message>
        <source>months</source>
        <translation>개월</translation>
    </message>
    <message>
        <source>server-months</source>
        <translation>서버·월</translation>
    </message>
    <message>
        <source>GB-months</source>
        <translation>GB·월</translation>
    </message>
    <message>
        <source>%1 %2</source>
        <translation>%1 %2</translation>
    </message>
    <message>
        <source>Total: %1</source>
        <translation>합계: %1</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>불러오는 중…</translation>
    </message>
    <message>
        <source>There is no estimate yet: the service of your organisation is not activated.</source>
        <translation>아직 예상 요금이 없습니다. 소속 조직의 서비스가 활성화되지 않았습니다.</translation>
    </message>
    <message>
        <source>There is no estimate yet: no prices are set. The service operator sets them.</source>
        <translation>아직 예상 요금이 없습니다. 요금이 설정되지 않았습니다. 요금은 서비스 운영자가 설정합니다.</translation>
    </message>
    <message>
        <source>There is no estimate for this month yet.</source>
        <translation>이번 달 예상 요금이 아직 없습니다.</translation>
    </message>
    <message>
        <source>Estimate for %1, counted through %2. The final statement is made when the month is over.</source>
        <translation>%1 예상 요금입니다(%2까지 집계). 최종 청구서는 해당 월이 끝나면 발행됩니다.</translation>
    </message>
    <message>
        <source>%1 %2</source>
        <comment>month name, year</comment>
        <translation>%2년 %1</translation>
    </message>
    <message>
        <source>No statements yet: the first one is made when your first month of service is over.</source>
        <translation>아직 청구서가 없습니다. 첫 청구서는 서비스 이용 첫 달이 끝나면 발행됩니다.</translation>
    </message>
    <message>
        <source>This month</source>
        <translation>이번 달</translation>
    </message>
    <message>
        <source>Usage now</source>
        <translation>현재 사용량</translation>
    </message>
    <message>
        <source>Past statements</source>
        <translation>지난 청구서</translation>
    </message>
    <message>
        <source>Servers:</source>
        <translation>서버:</translation>
    </message>
    <message>
        <source>Stored data:</source>
        <translation>저장 용량:</translation>
    </message>
    <message>
        <source>Snapshots:</source>
        <translation>스냅샷:</translation>
    </message>
    <message>
        <source>Past statements are shown to the administrators of your organisation.</source>
        <translation>지난 청구서는 소속 조직의 관리자에게만 표시됩니다.</translation>
    </message>
    <message>
        <source>Item</source>
        <translation>항목</translation>
    </message>
    <message>
        <source>Quantity</source>
        <translation>수량</translation>
    </message>
    <message>
        <source>Unit price</source>
        <translation>단가</translation>
    </message>
    <message>
        <source>Amount</source>
        <translation>금액</translation>
    </message>
    <message>
        <source>Usage and billing</source>
        <translation>사용량 및 요금</translation>
    </message>
</context>
<context>
    <name>cairn::console::CalendarPage</name>
    <message>
        <source>This server does not offer the holiday calendar yet. Use &quot;cairn-server calendar&quot; on the server host.</source>
        <translation>이 서버는 아직 공휴일 달력을 제공하지 않습니다. 서버 호스트에서 &quot;cairn-server calendar&quot; 명령을 사용하십시오.</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>Day off</source>
        <translation>휴무일</translation>
    </message>
    <message>
        <source>Working day</source>
        <translation>업무일</translation>
    </message>
    <message>
        <source>Changed by an operator</source>
        <translation>운영자가 변경</translation>
    </message>
    <message>
        <source>Public holiday (shipped)</source>
        <translation>공휴일(기본 제공)</translation>
    </message>
    <message>
        <source>Write what the day off is (e.g. &quot;National Assembly election&quot;).</source>
        <translation>휴무일의 이름을 입력하십시오(예: &quot;국회의원 선거일&quot;).</translation>
    </message>
    <message>
        <source>%1 is now a day off. Tickets submitted from now on count with it.</source>
        <translation>%1: 휴무일로 지정했습니다. 지금부터 신청되는 복구 요청에 반영됩니다.</translation>
    </message>
    <message>
        <source>%1 is now a working day.</source>
        <translation>%1: 업무일로 지정했습니다.</translation>
    </message>
    <message>
        <source>The operators&apos; change of %1 was removed.</source>
        <translation>%1: 운영자 변경 사항을 삭제했습니다.</translation>
    </message>
    <message>
        <source>&amp;Year:</source>
        <translation>연도(&amp;Y):</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>날짜</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>이름</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>구분</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>출처</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>메모</translation>
    </message>
    <message>
        <source>Business hours: Monday to Friday, %1–%2 (%3), except the days off below. Ticket due times count only business time.</source>
        <translation>업무 시간: 월요일~금요일 %1~%2(%3), 아래 휴무일 제외. 복구 요청의 완료 예정 시각은 업무 시간만으로 계산합니다.</translation>
    </message>
    <message>
        <source>&amp;Date:</source>
        <translation>날짜(&amp;D):</translation>
    </message>
    <message>
        <source>&amp;Note:</source>
        <translation>메모(&amp;N):</translation>
    </message>
    <message>
        <source>Name of the day off, e.g. National Assembly election</source>
        <translation>휴무일 이름(예: 국회의원 선거일)</translation>
    </message>
    <message>
        <source>&amp;Add day off</source>
        <translation>휴무일 추가(&amp;A)</translation>
    </message>
    <message>
        <source>Make a &amp;working day</source>
        <translation>업무일로 지정(&amp;W)</translation>
    </message>
    <message>
        <source>The selected holiday counts as a business day</source>
        <translation>선택한 공휴일을 업무일로 계산합니다</translation>
    </message>
    <message>
        <source>&amp;Remove operator change</source>
        <translation>운영자 변경 삭제(&amp;R)</translation>
    </message>
    <message>
        <source>The day is again as the shipped holiday data says</source>
        <translation>기본 제공 공휴일 데이터대로 되돌립니다</translation>
    </message>
    <message>
        <source>Holiday calendar</source>
        <translation>공휴일 달력</translation>
    </message>
</context>
<context>
    <name>cairn::console::DashboardPage</name>
    <message>
        <source>Servers: %1</source>
        <translation>서버: %1</translation>
    </message>
    <message>
        <source>Failed last runs: %1</source>
        <translation>마지막 실행 실패: %1</translation>
    </message>
    <message>
        <source>Stored: %1</source>
        <translation>저장 용량: %1</translation>
    </message>
    <message>
        <source>&amp;Find server:</source>
        <translation>서버 찾기(&amp;F):</translation>
    </message>
    <message>
        <source>Part of a server&apos;s name</source>
        <translation>서버 이름의 일부</translation>
    </message>
    <message>
        <source>Double-click a server or press Enter to open it.</source>
        <translation>서버를 두 번 클릭하거나 Enter 키를 누르면 서버 화면이 열립니다.</translation>
    </message>
    <message>
        <source>No servers yet. Install the Cairn agent on a server and enrol it with an enrollment code.</source>
        <translation>아직 서버가 없습니다. 서버에 Cairn 에이전트를 설치하고 등록 코드로 등록하십시오.</translation>
    </message>
    <message numerus="yes">
        <source>Stored data over the last %n days</source>
        <translation>
            <numerusform>최근 %n일간 저장 용량</numerusform>
        </translation>
    </message>
    <message>
        <source>New data per day</source>
        <translation>일별 신규 데이터</translation>
    </message>
    <message>
        <source>No data yet</source>
        <translation>아직 데이터 없음</translation>
    </message>
    <message>
        <source>Dashboard</source>
        <translation>대시보드</translation>
    </message>
</context>
<context>
    <name>cairn::console::HealthPage</name>
    <message>
        <source>This server shows only the store capacity (no health overview).</source>
        <translation>이 서버는 스토리지 용량만 제공합니다(서비스 상태 개요 없음).</translation>
    </message>
    <message>
        <source>Full: new backups are refused</source>
        <translation>가득 참: 새 백업이 거부됩니다</translation>
    </message>
    <message>
        <source>Warning: the store is filling up</source>
        <translation>경고: 스토리지 여유 공간이 줄고 있습니다</translation>
    </message>
    <message>
        <source>OK</source>
        <translation>정상</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>never</source>
        <translation>접속 기록 없음</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>Running jobs: %1 · Open tickets: %2 · Failed mails: %3</source>
        <translation>진행 중인 작업: %1 · 미완료 복구 요청: %2 · 발송 실패 메일: %3</translation>
    </message>
    <message>
        <source>Backup store capacity</source>
        <translation>백업 스토리지 용량</translation>
    </message>
    <message>
        <source>Offline agents</source>
        <translation>오프라인 에이전트</translation>
    </message>
    <message>
        <source>Failed runs of the last 24 hours</source>
        <translation>최근 24시간 동안 실패한 작업</translation>
    </message>
    <message>
        <source>Tenant</source>
        <translation>고객사</translation>
    </message>
    <message>
        <source>Server</source>
        <translation>서버</translation>
    </message>
    <message>
        <source>Host name</source>
        <translation>호스트 이름</translation>
    </message>
    <message>
        <source>Last seen</source>
        <translation>마지막 접속</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>시각</translation>
    </message>
    <message>
        <source>Error</source>
        <translation>오류</translation>
    </message>
    <message>
        <source>Service health</source>
        <translation>서비스 상태</translation>
    </message>
    <message>
        <source>&lt;b style=&quot;color:%1&quot;&gt;%2&lt;/b&gt; — %3 used of %4 (%5 free). Operators are warned at %6% full; new backups are refused at %7% full.</source>
        <translation>&lt;b style=&quot;color:%1&quot;&gt;%2&lt;/b&gt; — %4 중 %3 사용(%5 남음). %6% 이상 차면 운영자에게 경고하고, %7% 이상 차면 새 백업을 거부합니다.</translation>
    </message>
</context>
<context>
    <name>cairn::console::HistoryModel</name>
    <message>
        <source>Kind</source>
        <translation>종류</translation>
    </message>
    <message>
        <source>State</source>
        <translation>상태</translation>
    </message>
    <message>
        <source>Scheduled</source>
        <translation>예정 시각</translation>
    </message>
    <message>
        <source>Started</source>
        <translation>시작 시각</translation>
    </message>
    <message>
        <source>Finished</source>
        <translation>종료 시각</translation>
    </message>
    <message>
        <source>Duration</source>
        <translation>소요 시간</translation>
    </message>
    <message>
        <source>Files</source>
        <translation>파일 수</translation>
    </message>
    <message>
        <source>Read</source>
        <translation>읽은 용량</translation>
    </message>
    <message>
        <source>New data stored</source>
        <translation>저장된 신규 데이터</translation>
    </message>
    <message>
        <source>Warnings / errors</source>
        <translation>경고 / 오류</translation>
    </message>
    <message>
        <source>Requested by</source>
        <translation>요청자</translation>
    </message>
    <message>
        <source>Schedule</source>
        <translation>정기 일정</translation>
    </message>
    <message>
        <source>On the server</source>
        <translation>서버에서 직접</translation>
    </message>
    <message>
        <source>User %1</source>
        <translation>사용자 %1</translation>
    </message>
    <message>
        <source>Operator %1</source>
        <translation>운영자 %1</translation>
    </message>
</context>
<context>
    <name>cairn::console::HistoryTab</name>
    <message>
        <source>Backup requested. It starts when the server&apos;s agent next checks in.</source>
        <translation>백업을 요청했습니다. 서버의 에이전트가 다음에 접속하면 시작됩니다.</translation>
    </message>
    <message>
        <source>%1 of %2 runs</source>
        <translation>전체 %2건 중 %1건</translation>
    </message>
    <message numerus="yes">
        <source>%n run(s)</source>
        <translation>
            <numerusform>%n건</numerusform>
        </translation>
    </message>
    <message>
        <source>All states</source>
        <translation>모든 상태</translation>
    </message>
    <message>
        <source>Backups and restores</source>
        <translation>백업 및 복구</translation>
    </message>
    <message>
        <source>&amp;State:</source>
        <translation>상태(&amp;S):</translation>
    </message>
    <message>
        <source>&amp;Kind:</source>
        <translation>종류(&amp;K):</translation>
    </message>
    <message>
        <source>&amp;From:</source>
        <translation>시작일(&amp;F):</translation>
    </message>
    <message>
        <source>&amp;To:</source>
        <translation>종료일(&amp;T):</translation>
    </message>
    <message>
        <source>Any day</source>
        <translation>제한 없음</translation>
    </message>
    <message>
        <source>&amp;Back up now</source>
        <translation>지금 백업(&amp;B)</translation>
    </message>
    <message>
        <source>Start a backup of this server now, outside its schedule.</source>
        <translation>예약된 일정과 관계없이 이 서버의 백업을 지금 시작합니다.</translation>
    </message>
    <message>
        <source>History</source>
        <translation>이력</translation>
    </message>
</context>
<context>
    <name>cairn::console::JobDetailView</name>
    <message>
        <source>%1 #%2 — %3</source>
        <translation>%1 #%2 — %3</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>취소하는 중…</translation>
    </message>
    <message>
        <source>&amp;Cancel run</source>
        <translation>작업 취소(&amp;C)</translation>
    </message>
    <message>
        <source>%1 restored, %2 skipped, %3 errors</source>
        <translation>복구 %1개, 건너뜀 %2개, 오류 %3개</translation>
    </message>
    <message>
        <source>%1 restored</source>
        <translation>%1 복구됨</translation>
    </message>
    <message>
        <source>%1 files: %2 new, %3 changed, %4 unchanged</source>
        <translation>파일 %1개: 신규 %2개, 변경 %3개, 변경 없음 %4개</translation>
    </message>
    <message numerus="yes">
        <source>%n file(s)</source>
        <translation>
            <numerusform>파일 %n개</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 read, %2 new, %3 stored</source>
        <translation>읽음 %1, 신규 %2, 저장 %3</translation>
    </message>
    <message>
        <source>%1 : 1</source>
        <translation>%1 : 1</translation>
    </message>
    <message>
        <source>Warning</source>
        <translation>경고</translation>
    </message>
    <message>
        <source>Error</source>
        <translation>오류</translation>
    </message>
    <message>
        <source>No warnings or errors</source>
        <translation>경고 및 오류 없음</translation>
    </message>
    <message>
        <source>Warnings: %1, errors: %2</source>
        <translation>경고: %1, 오류: %2</translation>
    </message>
    <message>
        <source>%1: stopped after the time limit</source>
        <translation>%1: 제한 시간이 지나 중지됨</translation>
    </message>
    <message>
        <source>%1: ended by signal %2</source>
        <translation>%1: 시그널 %2에 의해 종료됨</translation>
    </message>
    <message>
        <source>%1: could not run (%2)</source>
        <translation>%1: 실행할 수 없음(%2)</translation>
    </message>
    <message>
        <source>%1: exit code %2</source>
        <translation>%1: 종료 코드 %2</translation>
    </message>
    <message>
        <source>Command before the backup</source>
        <translation>백업 전 명령</translation>
    </message>
    <message>
        <source>Command after the backup</source>
        <translation>백업 후 명령</translation>
    </message>
    <message>
        <source>Select a run to see its details.</source>
        <translation>세부 정보를 보려면 이력에서 작업을 선택하십시오.</translation>
    </message>
    <message>
        <source>Cancel this run? The files already backed up are not kept as a snapshot.</source>
        <translation>이 작업을 취소하시겠습니까? 이미 백업된 파일은 스냅샷으로 보관되지 않습니다.</translation>
    </message>
    <message>
        <source>&amp;Yes, cancel it</source>
        <translation>예, 취소합니다(&amp;Y)</translation>
    </message>
    <message>
        <source>&amp;Keep it running</source>
        <translation>계속 진행(&amp;K)</translation>
    </message>
    <message>
        <source>Statistics</source>
        <translation>통계</translation>
    </message>
    <message>
        <source>Commands</source>
        <translation>명령</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>종류</translation>
    </message>
    <message>
        <source>Path</source>
        <translation>경로</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>메시지</translation>
    </message>
    <message>
        <source>Files:</source>
        <translation>파일:</translation>
    </message>
    <message>
        <source>Data:</source>
        <translation>데이터:</translation>
    </message>
    <message>
        <source>Deduplication:</source>
        <translation>중복 제거율:</translation>
    </message>
    <message>
        <source>Duration:</source>
        <translation>소요 시간:</translation>
    </message>
    <message>
        <source>Rate:</source>
        <translation>속도:</translation>
    </message>
</context>
<context>
    <name>cairn::console::JobProgressBar</name>
    <message>
        <source>Reading the file index</source>
        <translation>파일 색인을 읽는 중</translation>
    </message>
    <message>
        <source>Running the command before the backup</source>
        <translation>백업 전 명령 실행 중</translation>
    </message>
    <message>
        <source>Backing up files</source>
        <translation>파일 백업 중</translation>
    </message>
    <message>
        <source>Running the command after the backup</source>
        <translation>백업 후 명령 실행 중</translation>
    </message>
    <message>
        <source>Restoring files</source>
        <translation>파일 복구 중</translation>
    </message>
    <message>
        <source>Starting</source>
        <translation>시작하는 중</translation>
    </message>
    <message>
        <source>%1 of %2</source>
        <translation>%1 / %2</translation>
    </message>
    <message numerus="yes">
        <source>%n file(s)</source>
        <translation>
            <numerusform>파일 %n개</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>cairn::console::LoginPage</name>
    <message>
        <source>The server was not trusted. Ask your operator for the right address and fingerprint.</source>
        <translation>서버를 신뢰하지 않았습니다. 운영자에게 올바른 주소와 인증서 지문을 문의하십시오.</translation>
    </message>
    <message>
        <source>Enter the server address, for example https://backup.example.com:8443.</source>
        <translation>서버 주소를 입력하십시오. 예: https://backup.example.com:8443</translation>
    </message>
    <message>
        <source>Enter your login and password.</source>
        <translation>로그인 ID와 비밀번호를 입력하십시오.</translation>
    </message>
    <message>
        <source>The server presented a DIFFERENT certificate from the one this console trusted before. This can mean someone is intercepting the connection. Trust it only if your operator told you the certificate was replaced and the fingerprint below matches theirs.</source>
        <translation>서버가 이 콘솔이 이전에 신뢰한 인증서와 다른 인증서를 제시했습니다. 누군가 연결을 가로채고 있을 수 있습니다. 운영자가 인증서 교체를 알렸고 아래 지문이 운영자가 알려 준 지문과 같을 때만 신뢰하십시오.</translation>
    </message>
    <message>
        <source>Cairn Backup</source>
        <translation>Cairn 백업</translation>
    </message>
    <message>
        <source>&amp;Server:</source>
        <translation>서버(&amp;S):</translation>
    </message>
    <message>
        <source>&amp;Login:</source>
        <translation>로그인 ID(&amp;L):</translation>
    </message>
    <message>
        <source>&amp;Password:</source>
        <translation>비밀번호(&amp;P):</translation>
    </message>
    <message>
        <source>Log in</source>
        <translation>로그인</translation>
    </message>
    <message>
        <source>&amp;Trust this server</source>
        <translation>이 서버 신뢰(&amp;T)</translation>
    </message>
    <message>
        <source>Do &amp;not trust</source>
        <translation>신뢰하지 않음(&amp;N)</translation>
    </message>
    <message>
        <source>The address of your Cairn server, e.g. https://backup.example.com:8443</source>
        <translation>Cairn 서버의 주소. 예: https://backup.example.com:8443</translation>
    </message>
    <message>
        <source>This console has not connected to this server before. Compare the SHA-256 fingerprint of the server&apos;s certificate authority below with the one your operator gave you (printed by cairn-server init); trust the server only if they match.</source>
        <translation>이 콘솔은 이 서버에 처음 연결합니다. 아래에 표시된 서버 인증 기관의 SHA-256 지문을 운영자가 알려 준 지문(cairn-server init이 출력)과 비교하고, 일치할 때만 서버를 신뢰하십시오.</translation>
    </message>
</context>
<context>
    <name>cairn::console::MainWindow</name>
    <message>
        <source>About Cairn</source>
        <translation>Cairn 정보</translation>
    </message>
    <message>
        <source>Cairn console %1
Deduplicating, encrypted backup for your servers.</source>
        <translation>Cairn 콘솔 %1
서버를 위한 중복 제거·암호화 백업 서비스입니다.</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>파일(&amp;F)</translation>
    </message>
    <message>
        <source>Log &amp;out</source>
        <translation>로그아웃(&amp;O)</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>끝내기(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>보기(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Refresh</source>
        <translation>새로 고침(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>언어(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>도움말(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;About Cairn</source>
        <translation>Cairn 정보(&amp;A)</translation>
    </message>
    <message>
        <source>&amp;Tenant:</source>
        <translation>고객사(&amp;T):</translation>
    </message>
    <message>
        <source>Servers</source>
        <translation>서버</translation>
    </message>
    <message>
        <source>Operations</source>
        <translation>운영</translation>
    </message>
    <message>
        <source>Tenant</source>
        <translation>고객사</translation>
    </message>
    <message>
        <source>Cairn — %1</source>
        <translation>Cairn — %1</translation>
    </message>
    <message>
        <source>Cairn</source>
        <translation>Cairn</translation>
    </message>
    <message>
        <source>Not logged in</source>
        <translation>로그인하지 않음</translation>
    </message>
    <message>
        <source>operator</source>
        <translation>운영자</translation>
    </message>
    <message>
        <source>administrator</source>
        <translation>관리자</translation>
    </message>
    <message>
        <source>member</source>
        <translation>일반 사용자</translation>
    </message>
    <message>
        <source>%1 (%2) on %3</source>
        <translation>%1(%2) · %3</translation>
    </message>
    <message>
        <source>%1 (%2, %3) on %4</source>
        <translation>%1(%2, %3) · %4</translation>
    </message>
</context>
<context>
    <name>cairn::console::MyTicketsPage</name>
    <message>
        <source>Server %1</source>
        <translation>서버 %1</translation>
    </message>
    <message>
        <source>overwrite existing files</source>
        <translation>기존 파일 덮어쓰기</translation>
    </message>
    <message>
        <source>keep both versions of existing files</source>
        <translation>기존 파일과 복구 파일 모두 유지</translation>
    </message>
    <message>
        <source>skip existing files</source>
        <translation>기존 파일 건너뛰기</translation>
    </message>
    <message>
        <source>From %1, snapshot %2</source>
        <translation>원본: %1, 스냅샷 %2</translation>
    </message>
    <message>
        <source>What: %1</source>
        <translation>복구 대상: %1</translation>
    </message>
    <message>
        <source>everything</source>
        <translation>전체</translation>
    </message>
    <message>
        <source>Onto %1, %2; %3</source>
        <translation>복구 위치: %1, %2; %3</translation>
    </message>
    <message>
        <source>to the original location</source>
        <translation>원래 위치</translation>
    </message>
    <message>
        <source>into %1</source>
        <translation>%1 폴더</translation>
    </message>
    <message>
        <source>Note: %1</source>
        <translation>메모: %1</translation>
    </message>
    <message>
        <source>Restore request #%1</source>
        <translation>복구 요청 #%1</translation>
    </message>
    <message>
        <source>no due time</source>
        <translation>완료 예정 시각 없음</translation>
    </message>
    <message>
        <source>due %1</source>
        <translation>완료 예정 %1</translation>
    </message>
    <message>
        <source>requested %1</source>
        <translation>신청 %1</translation>
    </message>
    <message>
        <source>Contact: %1</source>
        <translation>연락처: %1</translation>
    </message>
    <message>
        <source>none given</source>
        <translation>없음</translation>
    </message>
    <message>
        <source>Restore job #%1: %2</source>
        <translation>복구 작업 #%1: %2</translation>
    </message>
    <message>
        <source>Resolution: %1</source>
        <translation>처리 결과: %1</translation>
    </message>
    <message>
        <source>The restore request was cancelled.</source>
        <translation>복구 요청을 취소했습니다.</translation>
    </message>
    <message>
        <source>Show &amp;older requests</source>
        <translation>이전 요청 보기(&amp;O)</translation>
    </message>
    <message>
        <source>No restore requests yet. Request one from a server&apos;s Restore tab.</source>
        <translation>아직 복구 요청이 없습니다. 서버의 복구 탭에서 복구를 신청하십시오.</translation>
    </message>
    <message>
        <source>&amp;Cancel request</source>
        <translation>요청 취소(&amp;C)</translation>
    </message>
    <message>
        <source>Cancel this restore request?</source>
        <translation>이 복구 요청을 취소하시겠습니까?</translation>
    </message>
    <message>
        <source>&amp;Yes, cancel it</source>
        <translation>예, 취소합니다(&amp;Y)</translation>
    </message>
    <message>
        <source>&amp;Keep it</source>
        <translation>유지(&amp;K)</translation>
    </message>
    <message>
        <source>My restore tickets</source>
        <translation>내 복구 요청</translation>
    </message>
</context>
<context>
    <name>cairn::console::OverviewTab</name>
    <message>
        <source>No policy yet: this server is not backed up.</source>
        <translation>백업 정책이 아직 없습니다. 이 서버는 백업되지 않습니다.</translation>
    </message>
    <message>
        <source>Every %1 at %2</source>
        <translation>매주 %1 %2</translation>
    </message>
    <message>
        <source>Every day at %1</source>
        <translation>매일 %1</translation>
    </message>
    <message numerus="yes">
        <source>%1, keep %n days</source>
        <translation>
            <numerusform>%1, %n일 보관</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>; %n path(s)</source>
        <translation>
            <numerusform>; 경로 %n개</numerusform>
        </translation>
    </message>
    <message>
        <source>Never seen</source>
        <translation>접속 기록 없음</translation>
    </message>
    <message>
        <source>%1 (online)</source>
        <translation>%1 (온라인)</translation>
    </message>
    <message>
        <source>%1 (offline)</source>
        <translation>%1 (오프라인)</translation>
    </message>
    <message>
        <source>None scheduled</source>
        <translation>예정 없음</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>불러오는 중…</translation>
    </message>
    <message>
        <source>No runs yet</source>
        <translation>실행 기록 없음</translation>
    </message>
    <message>
        <source>%1 %2, %3</source>
        <translation>%1 %2, %3</translation>
    </message>
    <message>
        <source>Starting a backup…</source>
        <translation>백업을 시작하는 중…</translation>
    </message>
    <message>
        <source>Backup started; the agent picks it up at its next check.</source>
        <translation>백업을 시작했습니다. 에이전트가 다음에 접속할 때 작업을 가져갑니다.</translation>
    </message>
    <message>
        <source>A server needs a name.</source>
        <translation>서버 이름을 입력하십시오.</translation>
    </message>
    <message>
        <source>The server is now called %1.</source>
        <translation>서버 이름을 변경했습니다: %1</translation>
    </message>
    <message>
        <source>Name:</source>
        <translation>이름:</translation>
    </message>
    <message>
        <source>Host name:</source>
        <translation>호스트 이름:</translation>
    </message>
    <message>
        <source>Operating system:</source>
        <translation>운영체제:</translation>
    </message>
    <message>
        <source>Kernel:</source>
        <translation>커널:</translation>
    </message>
    <message>
        <source>Architecture:</source>
        <translation>아키텍처:</translation>
    </message>
    <message>
        <source>Agent version:</source>
        <translation>에이전트 버전:</translation>
    </message>
    <message>
        <source>Enrolled:</source>
        <translation>등록 일시:</translation>
    </message>
    <message>
        <source>Last seen:</source>
        <translation>마지막 접속:</translation>
    </message>
    <message>
        <source>Policy:</source>
        <translation>백업 정책:</translation>
    </message>
    <message>
        <source>Next run:</source>
        <translation>다음 실행:</translation>
    </message>
    <message>
        <source>Last run:</source>
        <translation>마지막 실행:</translation>
    </message>
    <message>
        <source>Stored:</source>
        <translation>저장 용량:</translation>
    </message>
    <message>
        <source>Show &amp;details</source>
        <translation>세부 정보 보기(&amp;D)</translation>
    </message>
    <message>
        <source>&amp;Back up now</source>
        <translation>지금 백업(&amp;B)</translation>
    </message>
    <message>
        <source>Start a backup of this server now and follow it in History.</source>
        <translation>이 서버의 백업을 지금 시작하고 이력 탭에서 진행 상황을 확인합니다.</translation>
    </message>
    <message>
        <source>Re&amp;name…</source>
        <translation>이름 변경(&amp;N)…</translation>
    </message>
    <message>
        <source>&amp;Save name</source>
        <translation>이름 저장(&amp;S)</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>취소</translation>
    </message>
    <message>
        <source>Overview</source>
        <translation>개요</translation>
    </message>
</context>
<context>
    <name>cairn::console::PolicyForm</name>
    <message>
        <source>Every day</source>
        <translation>1일 간격(매일)</translation>
    </message>
    <message>
        <source>Every week</source>
        <translation>7일 간격(매주)</translation>
    </message>
    <message numerus="yes">
        <source>%n days</source>
        <translation>
            <numerusform>%n일</numerusform>
        </translation>
    </message>
    <message>
        <source>Fail the backup</source>
        <translation>백업을 실패로 처리</translation>
    </message>
    <message>
        <source>Back up anyway</source>
        <translation>그대로 백업 진행</translation>
    </message>
    <message>
        <source>“%1” is not an absolute path: it must start with /.</source>
        <translation>절대 경로가 아닙니다: “%1”. 경로는 /로 시작해야 합니다.</translation>
    </message>
    <message>
        <source>A policy can back up at most %1 paths.</source>
        <translation>한 정책의 백업 경로는 최대 %1개입니다.</translation>
    </message>
    <message>
        <source>Add at least one folder to back up.</source>
        <translation>백업할 폴더를 하나 이상 추가하십시오.</translation>
    </message>
    <message>
        <source>A path cannot be empty.</source>
        <translation>경로는 비워 둘 수 없습니다.</translation>
    </message>
    <message>
        <source>The command is %1 bytes long; at most %2 bytes are allowed.</source>
        <translation>명령의 길이가 %1바이트입니다. 최대 %2바이트까지 입력할 수 있습니다.</translation>
    </message>
    <message>
        <source>The command cannot contain a NUL character.</source>
        <translation>명령에는 NUL 문자를 넣을 수 없습니다.</translation>
    </message>
    <message>
        <source>The limit must be 0 (unlimited) or between %1 and %2 KiB/s.</source>
        <translation>제한 값은 0(무제한)이거나 %1~%2 KiB/s 사이여야 합니다.</translation>
    </message>
    <message>
        <source>&amp;Paths to back up:</source>
        <translation>백업 경로(&amp;P):</translation>
    </message>
    <message>
        <source>E&amp;xclude (one pattern a line):</source>
        <translation>제외 패턴(한 줄에 하나씩)(&amp;X):</translation>
    </message>
    <message>
        <source>File systems:</source>
        <translation>파일 시스템:</translation>
    </message>
    <message>
        <source>&amp;Interval:</source>
        <translation>백업 주기(&amp;I):</translation>
    </message>
    <message>
        <source>&amp;Weekday:</source>
        <translation>요일(&amp;W):</translation>
    </message>
    <message>
        <source>Start &amp;time:</source>
        <translation>백업 시각(&amp;T):</translation>
    </message>
    <message>
        <source>&amp;Keep backups for:</source>
        <translation>보관 주기(&amp;K):</translation>
    </message>
    <message>
        <source>Command &amp;before the backup:</source>
        <translation>백업 전 명령(&amp;B):</translation>
    </message>
    <message>
        <source>Command &amp;after the backup:</source>
        <translation>백업 후 명령(&amp;A):</translation>
    </message>
    <message>
        <source>Command time &amp;limit (seconds):</source>
        <translation>명령 제한 시간(초)(&amp;L):</translation>
    </message>
    <message>
        <source>If the command before &amp;fails:</source>
        <translation>백업 전 명령 실패 시(&amp;F):</translation>
    </message>
    <message>
        <source>&amp;Upload limit (KiB/s):</source>
        <translation>업로드 대역폭 제한(KiB/s)(&amp;U):</translation>
    </message>
    <message>
        <source>&amp;New path:</source>
        <translation>새 경로(&amp;N):</translation>
    </message>
    <message>
        <source>/var/www</source>
        <translation>/var/www</translation>
    </message>
    <message>
        <source>A&amp;dd</source>
        <translation>추가(&amp;D)</translation>
    </message>
    <message>
        <source>&amp;Remove</source>
        <translation>제거(&amp;R)</translation>
    </message>
    <message>
        <source>Absolute paths on the server. Double-click a path to change it.</source>
        <translation>서버의 절대 경로입니다. 경로를 두 번 클릭하면 수정할 수 있습니다.</translation>
    </message>
    <message>
        <source>*.tmp</source>
        <translation>*.tmp</translation>
    </message>
    <message>
        <source>Stay on the file system of each path (do not cross mount points)</source>
        <translation>각 경로의 파일 시스템 안에서만 백업(마운트 지점을 넘지 않음)</translation>
    </message>
    <message>
        <source>In the tenant&apos;s time zone. The actual start may be up to an hour later.</source>
        <translation>고객사의 시간대 기준입니다. 실제 백업 시작은 최대 1시간 정도 늦어질 수 있습니다.</translation>
    </message>
    <message>
        <source>The commands run as root on the server before and after each backup. Only enter commands you trust.</source>
        <translation>명령은 백업할 때마다 백업 전후에 서버에서 root 권한으로 실행됩니다. 신뢰할 수 있는 명령만 입력하십시오.</translation>
    </message>
    <message>
        <source>For example: pg_dump -Fc app &gt; /var/backups/app.pgdump</source>
        <translation>예: pg_dump -Fc app &gt; /var/backups/app.pgdump</translation>
    </message>
    <message>
        <source>For example: rm -f /var/backups/app.pgdump</source>
        <translation>예: rm -f /var/backups/app.pgdump</translation>
    </message>
    <message>
        <source>Unlimited</source>
        <translation>무제한</translation>
    </message>
</context>
<context>
    <name>cairn::console::PolicyTab</name>
    <message>
        <source>Loading…</source>
        <translation>불러오는 중…</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>저장하는 중…</translation>
    </message>
    <message>
        <source>Unsaved changes. The policy was also changed elsewhere; Revert shows the stored one.</source>
        <translation>저장하지 않은 변경 사항이 있습니다. 다른 곳에서도 정책이 변경되었습니다. 되돌리기를 누르면 저장된 정책이 표시됩니다.</translation>
    </message>
    <message>
        <source>Unsaved changes.</source>
        <translation>저장하지 않은 변경 사항이 있습니다.</translation>
    </message>
    <message>
        <source>Saved.</source>
        <translation>저장했습니다.</translation>
    </message>
    <message>
        <source>No policy yet: this server is not backed up. The defaults are filled in; add the paths to back up and save.</source>
        <translation>백업 정책이 아직 없습니다. 이 서버는 백업되지 않습니다. 기본값이 입력되어 있으니 백업 경로를 추가하고 저장하십시오.</translation>
    </message>
    <message>
        <source>No policy yet: this server is not backed up.</source>
        <translation>백업 정책이 아직 없습니다. 이 서버는 백업되지 않습니다.</translation>
    </message>
    <message>
        <source>Last changed %1.</source>
        <translation>마지막 변경: %1.</translation>
    </message>
    <message>
        <source>Correct the marked fields to save.</source>
        <translation>저장하려면 표시된 항목을 수정하십시오.</translation>
    </message>
    <message>
        <source>The policy was not saved: %1</source>
        <translation>정책을 저장하지 못했습니다: %1</translation>
    </message>
    <message>
        <source>Copying…</source>
        <translation>복사하는 중…</translation>
    </message>
    <message numerus="yes">
        <source>The policy was copied to %n server(s): %1.</source>
        <translation>
            <numerusform>정책을 서버 %n대에 복사했습니다: %1.</numerusform>
        </translation>
    </message>
    <message>
        <source>Nothing was copied: %1</source>
        <translation>복사하지 못했습니다: %1</translation>
    </message>
    <message>
        <source>You can see this policy but not change it: only administrators of your organisation change backup policies.</source>
        <translation>이 정책은 조회만 할 수 있습니다. 백업 정책은 소속 조직의 관리자만 변경할 수 있습니다.</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>저장(&amp;S)</translation>
    </message>
    <message>
        <source>Re&amp;vert</source>
        <translation>되돌리기(&amp;V)</translation>
    </message>
    <message>
        <source>Store the policy; the agent uses it from its next check.</source>
        <translation>정책을 저장합니다. 에이전트는 다음 접속부터 이 정책을 사용합니다.</translation>
    </message>
    <message>
        <source>Discard the changes and show the stored policy.</source>
        <translation>변경 사항을 버리고 저장된 정책을 표시합니다.</translation>
    </message>
    <message>
        <source>Copy to other servers</source>
        <translation>다른 서버에 복사</translation>
    </message>
    <message>
        <source>Give the chosen servers this server&apos;s stored policy. Either all of them get it or none.</source>
        <translation>선택한 서버에 이 서버의 저장된 정책을 적용합니다. 선택한 서버 모두에 적용되거나, 하나도 적용되지 않습니다.</translation>
    </message>
    <message>
        <source>&amp;Copy to the chosen servers</source>
        <translation>선택한 서버에 복사(&amp;C)</translation>
    </message>
    <message>
        <source>Policy</source>
        <translation>백업 정책</translation>
    </message>
</context>
<context>
    <name>cairn::console::PricingPage</name>
    <message>
        <source>No prices are set yet: no statements can be computed until they are.</source>
        <translation>아직 요금이 설정되지 않았습니다. 요금을 설정해야 청구서를 계산할 수 있습니다.</translation>
    </message>
    <message>
        <source>Last changed %1 by %2</source>
        <translation>마지막 변경: %1(%2)</translation>
    </message>
    <message numerus="yes">
        <source>%1 must be an amount in %2 with at most %n decimal place(s).</source>
        <translation>
            <numerusform>%1: %2 금액을 소수점 이하 최대 %n자리까지 입력해야 합니다.</numerusform>
        </translation>
    </message>
    <message>
        <source>Enter the included storage in GB (0 or more).</source>
        <translation>기본 제공 스토리지를 GB 단위로 입력하십시오(0 이상).</translation>
    </message>
    <message>
        <source>Prices saved. They apply to statements computed from now on; statements already kept do not change.</source>
        <translation>요금을 저장했습니다. 지금부터 계산되는 청구서에 적용되며, 이미 확정된 청구서는 변경되지 않습니다.</translation>
    </message>
    <message>
        <source>&amp;Currency:</source>
        <translation>통화(&amp;C):</translation>
    </message>
    <message>
        <source>&amp;Base fee per month:</source>
        <translation>기본 월정액(&amp;B):</translation>
    </message>
    <message>
        <source>&amp;Included servers:</source>
        <translation>기본 제공 서버 수(&amp;I):</translation>
    </message>
    <message>
        <source>Included &amp;storage (GB):</source>
        <translation>기본 제공 스토리지(GB)(&amp;S):</translation>
    </message>
    <message>
        <source>Per extra ser&amp;ver-month:</source>
        <translation>추가 서버 1대당 월 요금(&amp;V):</translation>
    </message>
    <message>
        <source>Per extra &amp;GB-month:</source>
        <translation>추가 1GB당 월 요금(&amp;G):</translation>
    </message>
    <message>
        <source>&amp;Save prices</source>
        <translation>요금 저장(&amp;S)</translation>
    </message>
    <message>
        <source>New prices apply to statements computed after the change: the estimate of the current month and months not yet kept. Statements already kept for finished months never change. 1 GB is 10^9 bytes.</source>
        <translation>새 요금은 변경 이후 계산되는 청구서, 즉 이번 달 예상 요금과 아직 확정되지 않은 달의 청구서에 적용됩니다. 이미 끝난 달의 확정된 청구서는 변경되지 않습니다. 1 GB는 10^9바이트입니다.</translation>
    </message>
    <message>
        <source>e.g. 50000</source>
        <translation>예: 50000</translation>
    </message>
    <message>
        <source>Pricing</source>
        <translation>요금 설정</translation>
    </message>
    <message>
        <source>%1 must be a whole amount in %2.</source>
        <translation>%1은(는) %2 단위의 정수 금액이어야 합니다.</translation>
    </message>
</context>
<context>
    <name>cairn::console::RecipientsPage</name>
    <message>
        <source>Korean</source>
        <translation>한국어</translation>
    </message>
    <message>
        <source>English</source>
        <translation>영어</translation>
    </message>
    <message>
        <source>“%1” is not an e-mail address.</source>
        <translation>올바른 이메일 주소가 아닙니다: “%1”</translation>
    </message>
    <message>
        <source>%1 is listed twice.</source>
        <translation>%1 주소가 두 번 입력되었습니다.</translation>
    </message>
    <message>
        <source>%1 is already a recipient.</source>
        <translation>%1 주소는 이미 수신자로 등록되어 있습니다.</translation>
    </message>
    <message>
        <source>At most %1 addresses can receive the reports.</source>
        <translation>보고서는 최대 %1개 주소로 보낼 수 있습니다.</translation>
    </message>
    <message>
        <source>Choose a tenant first.</source>
        <translation>먼저 고객사를 선택하십시오.</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>불러오는 중…</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>저장하는 중…</translation>
    </message>
    <message>
        <source>Unsaved changes.</source>
        <translation>저장하지 않은 변경 사항이 있습니다.</translation>
    </message>
    <message>
        <source>Unsaved changes. Correct the marked address to save.</source>
        <translation>저장하지 않은 변경 사항이 있습니다. 저장하려면 표시된 주소를 수정하십시오.</translation>
    </message>
    <message>
        <source>Saved. The next reports go to these addresses.</source>
        <translation>저장했습니다. 다음 보고서부터 이 주소로 발송됩니다.</translation>
    </message>
    <message>
        <source>Nobody receives the reports yet.</source>
        <translation>아직 보고서 수신자가 없습니다.</translation>
    </message>
    <message>
        <source>E-mail address</source>
        <translation>이메일 주소</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>언어</translation>
    </message>
    <message>
        <source>Time zone:</source>
        <translation>시간대:</translation>
    </message>
    <message>
        <source>&amp;New address:</source>
        <translation>새 주소(&amp;N):</translation>
    </message>
    <message>
        <source>name@example.com</source>
        <translation>name@example.com</translation>
    </message>
    <message>
        <source>&amp;Add</source>
        <translation>추가(&amp;A)</translation>
    </message>
    <message>
        <source>&amp;Remove</source>
        <translation>제거(&amp;R)</translation>
    </message>
    <message>
        <source>Daily report &amp;time:</source>
        <translation>일일 보고서 발송 시각(&amp;T):</translation>
    </message>
    <message>
        <source>In the time zone shown above.</source>
        <translation>위에 표시된 시간대 기준입니다.</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>저장(&amp;S)</translation>
    </message>
    <message>
        <source>Re&amp;vert</source>
        <translation>되돌리기(&amp;V)</translation>
    </message>
    <message>
        <source>Only administrators of your organisation change who receives the reports.</source>
        <translation>보고서 수신자는 소속 조직의 관리자만 변경할 수 있습니다.</translation>
    </message>
    <message>
        <source>Double-click an address to change it.</source>
        <translation>주소를 두 번 클릭하면 수정할 수 있습니다.</translation>
    </message>
    <message>
        <source>Report recipients</source>
        <translation>보고서 수신자</translation>
    </message>
</context>
<context>
    <name>cairn::console::RestoreRequestForm</name>
    <message>
        <source>%1 (this server)</source>
        <translation>%1 (이 서버)</translation>
    </message>
    <message>
        <source>This server</source>
        <translation>이 서버</translation>
    </message>
    <message>
        <source>Choose a snapshot first.</source>
        <translation>먼저 스냅샷을 선택하십시오.</translation>
    </message>
    <message>
        <source>Choose at least one file or folder to restore: tick it in the snapshot&apos;s files or in the search results.</source>
        <translation>복구할 파일이나 폴더를 하나 이상 선택하십시오. 스냅샷의 파일 목록이나 검색 결과에서 체크하면 됩니다.</translation>
    </message>
    <message>
        <source>The destination folder must be an absolute path starting with /, or empty to restore to the original location.</source>
        <translation>복구 폴더는 /로 시작하는 절대 경로여야 합니다. 원래 위치로 복구하려면 비워 두십시오.</translation>
    </message>
    <message>
        <source>The destination folder must not contain &quot;..&quot;.</source>
        <translation>복구 폴더에는 &quot;..&quot;를 넣을 수 없습니다.</translation>
    </message>
    <message>
        <source>The phone number may contain only digits, spaces and + ( ) . / -.</source>
        <translation>전화번호에는 숫자, 공백과 + ( ) . / - 만 사용할 수 있습니다.</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not an e-mail address.</source>
        <translation>올바른 이메일 주소가 아닙니다: &quot;%1&quot;</translation>
    </message>
    <message>
        <source>The note may be at most %1 characters long.</source>
        <translation>메모는 최대 %1자까지 입력할 수 있습니다.</translation>
    </message>
    <message>
        <source>Request submitted as ticket #%1; it has no due time yet.</source>
        <translation>복구를 신청했습니다(복구 요청 #%1). 완료 예정 시각은 아직 정해지지 않았습니다.</translation>
    </message>
    <message>
        <source>Request submitted as ticket #%1; due %2.</source>
        <translation>복구를 신청했습니다(복구 요청 #%1). 완료 예정 시각: %2.</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>Skip them (keep the files on the server)</source>
        <translation>건너뛰기(서버의 기존 파일 유지)</translation>
    </message>
    <message>
        <source>Overwrite them</source>
        <translation>덮어쓰기</translation>
    </message>
    <message>
        <source>Keep both (restore under a new name)</source>
        <translation>모두 유지(새 이름으로 복구)</translation>
    </message>
    <message>
        <source>Request a restore</source>
        <translation>복구 신청</translation>
    </message>
    <message>
        <source>Request a restore from the snapshot of %1</source>
        <translation>%1 스냅샷에서 복구 신청</translation>
    </message>
    <message>
        <source>What:</source>
        <translation>복구 대상:</translation>
    </message>
    <message>
        <source>Restore &amp;onto:</source>
        <translation>복구할 서버(&amp;O):</translation>
    </message>
    <message>
        <source>Destination &amp;folder:</source>
        <translation>복구 폴더(&amp;F):</translation>
    </message>
    <message>
        <source>&amp;Existing files:</source>
        <translation>기존 파일(&amp;E):</translation>
    </message>
    <message>
        <source>Contact &amp;name:</source>
        <translation>담당자 이름(&amp;N):</translation>
    </message>
    <message>
        <source>&amp;Phone:</source>
        <translation>전화번호(&amp;P):</translation>
    </message>
    <message>
        <source>E-&amp;mail:</source>
        <translation>이메일(&amp;M):</translation>
    </message>
    <message>
        <source>N&amp;ote:</source>
        <translation>메모(&amp;O):</translation>
    </message>
    <message>
        <source>Empty: back to the original location</source>
        <translation>비워 두면 원래 위치로 복구</translation>
    </message>
    <message>
        <source>+82 10-1234-5678</source>
        <translation>+82 10-1234-5678</translation>
    </message>
    <message>
        <source>Anything the operators should know (optional)</source>
        <translation>운영자에게 전달할 내용(선택 사항)</translation>
    </message>
    <message>
        <source>Operators handle restore requests on business days from 10:00 to 19:00 (Korean time); a request is due 3 business hours after it is submitted.</source>
        <translation>복구 요청은 운영자가 업무일 10:00~19:00(한국 시간)에 처리합니다. 신청한 복구 요청은 업무 시간 기준 3시간 이내에 완료됩니다.</translation>
    </message>
    <message>
        <source>&amp;Submit request</source>
        <translation>신청(&amp;S)</translation>
    </message>
    <message>
        <source>C&amp;lose</source>
        <translation>닫기(&amp;L)</translation>
    </message>
</context>
<context>
    <name>cairn::console::RestoreTab</name>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>No file or folder of this snapshot has &quot;%1&quot; in its name.</source>
        <translation>이 스냅샷에는 이름에 &quot;%1&quot; 문자열이 포함된 파일이나 폴더가 없습니다.</translation>
    </message>
    <message numerus="yes">
        <source>%n match(es) shown; there may be more — search for a longer name.</source>
        <translation>
            <numerusform>검색 결과 %n개를 표시합니다. 결과가 더 있을 수 있으니 더 긴 이름으로 검색하십시오.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n match(es). Tick one to restore it.</source>
        <translation>
            <numerusform>검색 결과 %n개. 복구할 항목을 체크하십시오.</numerusform>
        </translation>
    </message>
    <message>
        <source>Tick the files and folders to restore.</source>
        <translation>복구할 파일과 폴더를 체크하십시오.</translation>
    </message>
    <message numerus="yes">
        <source>%n item(s) chosen to restore.</source>
        <translation>
            <numerusform>복구할 항목 %n개를 선택했습니다.</numerusform>
        </translation>
    </message>
    <message>
        <source>Snapshots</source>
        <translation>스냅샷</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>시각</translation>
    </message>
    <message>
        <source>Files</source>
        <translation>파일 수</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>크기</translation>
    </message>
    <message>
        <source>No snapshots of this server yet.</source>
        <translation>이 서버에는 아직 스냅샷이 없습니다.</translation>
    </message>
    <message>
        <source>Search file names in this snapshot</source>
        <translation>이 스냅샷에서 파일 이름 검색</translation>
    </message>
    <message>
        <source>Sea&amp;rch</source>
        <translation>검색(&amp;R)</translation>
    </message>
    <message>
        <source>Request &amp;restore…</source>
        <translation>복구 신청(&amp;R)…</translation>
    </message>
    <message>
        <source>Restore requests for this server</source>
        <translation>이 서버의 복구 요청 목록</translation>
    </message>
    <message>
        <source>Restore</source>
        <translation>복구</translation>
    </message>
</context>
<context>
    <name>cairn::console::ServerPage</name>
    <message>
        <source>Server %1</source>
        <translation>서버 %1</translation>
    </message>
    <message>
        <source>Server</source>
        <translation>서버</translation>
    </message>
</context>
<context>
    <name>cairn::console::ServerSummaryModel</name>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>Online</source>
        <translation>온라인</translation>
    </message>
    <message>
        <source>Offline</source>
        <translation>오프라인</translation>
    </message>
    <message>
        <source>No runs yet</source>
        <translation>실행 기록 없음</translation>
    </message>
    <message>
        <source>%1, %2</source>
        <translation>%1, %2</translation>
    </message>
    <message>
        <source>No policy</source>
        <translation>정책 없음</translation>
    </message>
    <message>
        <source>Running</source>
        <translation>진행 중</translation>
    </message>
    <message>
        <source>Running: %1</source>
        <translation>진행 중: %1</translation>
    </message>
    <message>
        <source>Last seen %1</source>
        <translation>마지막 접속: %1</translation>
    </message>
    <message>
        <source>Server</source>
        <translation>서버</translation>
    </message>
    <message>
        <source>Host and OS</source>
        <translation>호스트 및 OS</translation>
    </message>
    <message>
        <source>State</source>
        <translation>상태</translation>
    </message>
    <message>
        <source>Last result</source>
        <translation>마지막 결과</translation>
    </message>
    <message>
        <source>Next run</source>
        <translation>다음 실행</translation>
    </message>
    <message>
        <source>Stored</source>
        <translation>저장 용량</translation>
    </message>
    <message>
        <source>Running job</source>
        <translation>진행 중인 작업</translation>
    </message>
</context>
<context>
    <name>cairn::console::SnapshotTreeModel</name>
    <message>
        <source>Loading more… (%1 of %2 shown)</source>
        <translation>더 불러오는 중…(%2개 중 %1개 표시)</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>이름</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>크기</translation>
    </message>
    <message>
        <source>Modified</source>
        <translation>수정 시각</translation>
    </message>
</context>
<context>
    <name>cairn::console::TenantsPage</name>
    <message>
        <source>not activated</source>
        <translation>활성화되지 않음</translation>
    </message>
    <message>
        <source>Enter the new tenant&apos;s name.</source>
        <translation>새 고객사의 이름을 입력하십시오.</translation>
    </message>
    <message>
        <source>A tenant named %1 exists already.</source>
        <translation>이름이 %1인 고객사가 이미 있습니다.</translation>
    </message>
    <message>
        <source>Tenant %1 created.</source>
        <translation>고객사를 만들었습니다: %1</translation>
    </message>
    <message>
        <source>Settings of %1 saved.</source>
        <translation>%1 설정을 저장했습니다.</translation>
    </message>
    <message>
        <source>Valid until %1 (single use)</source>
        <translation>%1까지 유효(1회용)</translation>
    </message>
    <message>
        <source>Server certificate fingerprint: %1</source>
        <translation>서버 인증서 지문: %1</translation>
    </message>
    <message>
        <source>Tenant</source>
        <translation>고객사</translation>
    </message>
    <message>
        <source>Time zone</source>
        <translation>시간대</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>언어</translation>
    </message>
    <message>
        <source>Activated</source>
        <translation>활성화 일시</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>이름(&amp;N):</translation>
    </message>
    <message>
        <source>&amp;Time zone:</source>
        <translation>시간대(&amp;T):</translation>
    </message>
    <message>
        <source>&amp;Language:</source>
        <translation>언어(&amp;L):</translation>
    </message>
    <message>
        <source>Activated:</source>
        <translation>활성화:</translation>
    </message>
    <message>
        <source>A&amp;ctivated (billing starts) at, UTC:</source>
        <translation>활성화(과금 시작) 일시, UTC(&amp;C):</translation>
    </message>
    <message>
        <source>Create &amp;new tenant</source>
        <translation>새 고객사 만들기(&amp;N)</translation>
    </message>
    <message>
        <source>Creates a tenant with this name, time zone and language (and its keys)</source>
        <translation>입력한 이름, 시간대, 언어로 고객사를 만듭니다(고객사의 키도 함께 생성)</translation>
    </message>
    <message>
        <source>&amp;Save changes</source>
        <translation>변경 사항 저장(&amp;S)</translation>
    </message>
    <message>
        <source>Saves the time zone, language and activation date of the selected tenant</source>
        <translation>선택한 고객사의 시간대, 언어, 활성화 일시를 저장합니다</translation>
    </message>
    <message>
        <source>Enrollment code for the selected tenant</source>
        <translation>선택한 고객사의 등록 코드</translation>
    </message>
    <message>
        <source>Create &amp;enrollment code</source>
        <translation>등록 코드 만들기(&amp;E)</translation>
    </message>
    <message>
        <source>e.g. acme</source>
        <translation>예: acme</translation>
    </message>
    <message>
        <source>Tenants and users</source>
        <translation>고객사 및 사용자</translation>
    </message>
</context>
<context>
    <name>cairn::console::TicketHandlingView</name>
    <message>
        <source>Write the reason for the rejection first: the requester reads it.</source>
        <translation>먼저 반려 사유를 입력하십시오. 사유는 신청자에게 표시됩니다.</translation>
    </message>
    <message>
        <source>Write a note on how the ticket was completed first.</source>
        <translation>먼저 복구 요청의 처리 내용을 입력하십시오.</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>%1 (snapshot %2)</source>
        <translation>%1 (스냅샷 %2)</translation>
    </message>
    <message>
        <source>Everything in the snapshot</source>
        <translation>스냅샷 전체</translation>
    </message>
    <message>
        <source>%1 — %2</source>
        <translation>%1 — %2</translation>
    </message>
    <message>
        <source>original locations</source>
        <translation>원래 위치</translation>
    </message>
    <message>
        <source>Overwrite existing files</source>
        <translation>기존 파일 덮어쓰기</translation>
    </message>
    <message>
        <source>Keep both (restored copy renamed)</source>
        <translation>모두 유지(복구한 파일의 이름 변경)</translation>
    </message>
    <message>
        <source>Skip existing files</source>
        <translation>기존 파일 건너뛰기</translation>
    </message>
    <message>
        <source>—</source>
        <translation>—</translation>
    </message>
    <message>
        <source>Restore job %1: %2</source>
        <translation>복구 작업 %1: %2</translation>
    </message>
    <message>
        <source>%1 of %2 files</source>
        <translation>파일 %2개 중 %1개</translation>
    </message>
    <message>
        <source>%1 files</source>
        <translation>파일 %1개</translation>
    </message>
    <message>
        <source>%1 of %2</source>
        <translation>%1 / %2</translation>
    </message>
    <message>
        <source>Request</source>
        <translation>신청 내용</translation>
    </message>
    <message>
        <source>Restore progress</source>
        <translation>복구 진행 상황</translation>
    </message>
    <message>
        <source>Actions</source>
        <translation>처리</translation>
    </message>
    <message>
        <source>Server:</source>
        <translation>서버:</translation>
    </message>
    <message>
        <source>Snapshot:</source>
        <translation>스냅샷:</translation>
    </message>
    <message>
        <source>Paths:</source>
        <translation>경로:</translation>
    </message>
    <message>
        <source>Restore to:</source>
        <translation>복구 위치:</translation>
    </message>
    <message>
        <source>Existing files:</source>
        <translation>기존 파일:</translation>
    </message>
    <message>
        <source>Contact:</source>
        <translation>연락처:</translation>
    </message>
    <message>
        <source>Note:</source>
        <translation>메모:</translation>
    </message>
    <message>
        <source>&amp;Accept</source>
        <translation>접수(&amp;A)</translation>
    </message>
    <message>
        <source>Take the ticket: it is assigned to you</source>
        <translation>복구 요청을 접수하고 본인을 담당자로 지정합니다</translation>
    </message>
    <message>
        <source>Reason for the rejection (required, the requester reads it)</source>
        <translation>반려 사유(필수, 신청자에게 표시됨)</translation>
    </message>
    <message>
        <source>&amp;Reject</source>
        <translation>반려(&amp;R)</translation>
    </message>
    <message>
        <source>Restore &amp;on:</source>
        <translation>복구할 서버(&amp;O):</translation>
    </message>
    <message>
        <source>&amp;Start restore</source>
        <translation>복구 시작(&amp;S)</translation>
    </message>
    <message>
        <source>Send the restore job to the chosen server</source>
        <translation>선택한 서버로 복구 작업을 보냅니다</translation>
    </message>
    <message>
        <source>How the ticket was completed (required)</source>
        <translation>처리 내용(필수)</translation>
    </message>
    <message>
        <source>&amp;Complete</source>
        <translation>완료(&amp;C)</translation>
    </message>
    <message>
        <source>This ticket is closed: nothing more to do.</source>
        <translation>종료된 복구 요청입니다. 더 처리할 작업이 없습니다.</translation>
    </message>
    <message>
        <source>Select a ticket in the queue.</source>
        <translation>목록에서 복구 요청을 선택하십시오.</translation>
    </message>
    <message>
        <source>Ticket %1 — %2</source>
        <translation>복구 요청 %1 — %2</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>불러오는 중…</translation>
    </message>
    <message>
        <source>Due %1</source>
        <translation>완료 예정: %1</translation>
    </message>
    <message>
        <source>No due time</source>
        <translation>완료 예정 시각 없음</translation>
    </message>
    <message>
        <source>Resolution: %1</source>
        <translation>처리 결과: %1</translation>
    </message>
    <message>
        <source>(requested: %1; changed by the operator)</source>
        <translation>(신청: %1, 운영자가 변경함)</translation>
    </message>
</context>
<context>
    <name>cairn::console::TicketListModel</name>
    <message>
        <source>No.</source>
        <translation>번호</translation>
    </message>
    <message>
        <source>State</source>
        <translation>상태</translation>
    </message>
    <message>
        <source>SLA</source>
        <translation>SLA</translation>
    </message>
    <message>
        <source>Due</source>
        <translation>완료 예정 시각</translation>
    </message>
    <message>
        <source>Server</source>
        <translation>서버</translation>
    </message>
    <message>
        <source>Requested</source>
        <translation>신청 시각</translation>
    </message>
    <message>
        <source>Requested by</source>
        <translation>신청자</translation>
    </message>
    <message>
        <source>No due time</source>
        <translation>완료 예정 시각 없음</translation>
    </message>
    <message>
        <source>Server %1</source>
        <translation>서버 %1</translation>
    </message>
</context>
<context>
    <name>cairn::console::TicketQueueModel</name>
    <message>
        <source>overdue by %1</source>
        <translation>%1 초과</translation>
    </message>
    <message>
        <source>%1 left</source>
        <translation>%1 남음</translation>
    </message>
    <message>
        <source>Due %1 (business hours 10:00–19:00, Asia/Seoul)</source>
        <translation>완료 예정: %1(업무 시간 10:00~19:00, Asia/Seoul 기준)</translation>
    </message>
    <message>
        <source>no due time</source>
        <translation>완료 예정 시각 없음</translation>
    </message>
    <message>
        <source>—</source>
        <translation>—</translation>
    </message>
    <message>
        <source>Due</source>
        <translation>완료 예정 시각</translation>
    </message>
    <message>
        <source>SLA</source>
        <translation>SLA</translation>
    </message>
    <message>
        <source>Business time left</source>
        <translation>남은 업무 시간</translation>
    </message>
    <message>
        <source>Tenant</source>
        <translation>고객사</translation>
    </message>
    <message>
        <source>Server</source>
        <translation>서버</translation>
    </message>
    <message>
        <source>Requested by</source>
        <translation>신청자</translation>
    </message>
    <message>
        <source>State</source>
        <translation>상태</translation>
    </message>
    <message>
        <source>Assigned to</source>
        <translation>담당자</translation>
    </message>
</context>
<context>
    <name>cairn::console::TicketQueuePage</name>
    <message>
        <source>S&amp;how:</source>
        <translation>표시(&amp;H):</translation>
    </message>
    <message>
        <source>Mine</source>
        <translation>내 담당</translation>
    </message>
    <message>
        <source>Unassigned</source>
        <translation>미배정</translation>
    </message>
    <message>
        <source>All open tickets</source>
        <translation>미완료 요청 전체</translation>
    </message>
    <message numerus="yes">
        <source>%n ticket(s) shown of %1 open</source>
        <translation>
            <numerusform>미완료 요청 %1건 중 %n건 표시</numerusform>
        </translation>
    </message>
    <message>
        <source>Ticket queue</source>
        <translation>복구 요청 목록</translation>
    </message>
</context>
<context>
    <name>cairn::console::TicketThread</name>
    <message>
        <source>A message can be at most %1 characters long.</source>
        <translation>메시지는 최대 %1자까지 입력할 수 있습니다.</translation>
    </message>
    <message>
        <source>Messages</source>
        <translation>메시지</translation>
    </message>
    <message>
        <source>&amp;New message:</source>
        <translation>새 메시지(&amp;N):</translation>
    </message>
    <message>
        <source>Write a message (Ctrl+Enter sends it)</source>
        <translation>메시지 입력(Ctrl+Enter로 보내기)</translation>
    </message>
    <message>
        <source>&amp;Send</source>
        <translation>보내기(&amp;S)</translation>
    </message>
    <message>
        <source>Send the message (Ctrl+Enter)</source>
        <translation>메시지 보내기(Ctrl+Enter)</translation>
    </message>
    <message>
        <source>Cairn (system)</source>
        <translation>Cairn(시스템)</translation>
    </message>
    <message>
        <source>operator</source>
        <translation>운영자</translation>
    </message>
    <message>
        <source>administrator</source>
        <translation>관리자</translation>
    </message>
    <message>
        <source>member</source>
        <translation>일반 사용자</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1(%2)</translation>
    </message>
    <message>
        <source>%1 · %2</source>
        <translation>%1 · %2</translation>
    </message>
    <message>
        <source>No messages yet.</source>
        <translation>아직 메시지가 없습니다.</translation>
    </message>
</context>
<context>
    <name>cairn::console::TimeSeriesChart</name>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>no data</source>
        <translation>데이터 없음</translation>
    </message>
</context>
<context>
    <name>cairn::console::UserAdminPanel</name>
    <message>
        <source>Operator</source>
        <translation>운영자</translation>
    </message>
    <message>
        <source>Administrator</source>
        <translation>관리자</translation>
    </message>
    <message>
        <source>Member</source>
        <translation>일반 사용자</translation>
    </message>
    <message>
        <source>Enter a login.</source>
        <translation>로그인 ID를 입력하십시오.</translation>
    </message>
    <message>
        <source>Select the tenant the user belongs to.</source>
        <translation>사용자가 속한 고객사를 선택하십시오.</translation>
    </message>
    <message>
        <source>Enter a password.</source>
        <translation>비밀번호를 입력하십시오.</translation>
    </message>
    <message>
        <source>The two passwords are not the same.</source>
        <translation>두 비밀번호가 일치하지 않습니다.</translation>
    </message>
    <message>
        <source>User %1 created.</source>
        <translation>사용자를 만들었습니다: %1</translation>
    </message>
    <message>
        <source>Users of %1</source>
        <translation>%1 사용자</translation>
    </message>
    <message>
        <source>Users (select a tenant)</source>
        <translation>사용자(고객사를 선택하십시오)</translation>
    </message>
    <message>
        <source>Operators</source>
        <translation>운영자</translation>
    </message>
    <message>
        <source>New operator (belongs to no tenant)</source>
        <translation>새 운영자(고객사에 속하지 않음)</translation>
    </message>
    <message>
        <source>New user of %1</source>
        <translation>%1 새 사용자</translation>
    </message>
    <message>
        <source>New user</source>
        <translation>새 사용자</translation>
    </message>
    <message>
        <source>Login</source>
        <translation>로그인 ID</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>이름</translation>
    </message>
    <message>
        <source>E-mail</source>
        <translation>이메일</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>역할</translation>
    </message>
    <message>
        <source>&amp;Login:</source>
        <translation>로그인 ID(&amp;L):</translation>
    </message>
    <message>
        <source>&amp;Display name:</source>
        <translation>표시 이름(&amp;D):</translation>
    </message>
    <message>
        <source>&amp;E-mail:</source>
        <translation>이메일(&amp;E):</translation>
    </message>
    <message>
        <source>R&amp;ole:</source>
        <translation>역할(&amp;O):</translation>
    </message>
    <message>
        <source>&amp;Password:</source>
        <translation>비밀번호(&amp;P):</translation>
    </message>
    <message>
        <source>Con&amp;firm password:</source>
        <translation>비밀번호 확인(&amp;F):</translation>
    </message>
    <message>
        <source>Create &amp;operator</source>
        <translation>운영자 만들기(&amp;O)</translation>
    </message>
    <message>
        <source>Create &amp;user</source>
        <translation>사용자 만들기(&amp;U)</translation>
    </message>
</context>
</TS>
