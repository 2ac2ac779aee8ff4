# Hosterra's provider profile: everything the app knows about Hosterra Email that is not
# mailcow itself. Another mailcow-based host would ship a file like this one.
# Read by HesProviderProfile (hes-provider-profile.c).

[Provider]
Name=Hosterra Email
# Filled into the sign-in page the first time; the customer's own server is remembered after.
DefaultServer=https://mail.hosterra.email
HelpUrl=https://hosterra.help/email/operations-specifiques
SupportUrl=https://hosterra.help/contact
# Offers that need DNS setup; BasicBox customers have nothing to configure.
OffersNeedingSetup=SoloBox;FamilyBox;ProBox;CustomBox;
OffersWithoutSetup=BasicBox;

[Migration]
# mailcow accepts 1 minute; Hosterra's servers are shared, so jobs run at most every 20 minutes.
MinimumSyncIntervalMinutes=20
DefaultSyncIntervalMinutes=20
DefaultExclude=(?i)spam|(?i)junk
# How long to keep the sync jobs after the DNS switch is visible everywhere.
KeepSyncJobsAfterSwitchHours=24

[DnsPlan]
# The records every customer domain needs. @ is the customer's domain, H the mail host name,
# SELECTOR and DKIM the domain's DKIM selector and record. Names are relative to the domain.
Records=mx;spf;dkim;dmarc;autoconfig;autodiscover;srv-autodiscover;srv-imaps;srv-submissions;srv-caldavs;srv-carddavs;
DefaultTtl=3600
PropagationHours=24

[DnsRecord mx]
Type=MX
Name=@
Priority=10
Target=H
Required=true

[DnsRecord spf]
Type=TXT
Name=@
Value=v=spf1 mx ~all
Kind=spf
Required=true

[DnsRecord dkim]
Type=TXT
Name=SELECTOR._domainkey
Value=DKIM
Kind=dkim
Required=true

[DnsRecord dmarc]
Type=TXT
Name=_dmarc
Value=v=DMARC1; p=quarantine
Kind=dmarc
Required=false

[DnsRecord autoconfig]
Type=CNAME
Name=autoconfig
Target=H
Required=true

[DnsRecord autodiscover]
Type=CNAME
Name=autodiscover
Target=H
Required=true

[DnsRecord srv-autodiscover]
Type=SRV
Name=_autodiscover._tcp
Priority=0
Weight=1
Port=443
Target=H
Required=true

[DnsRecord srv-imaps]
Type=SRV
Name=_imaps._tcp
Priority=0
Weight=1
Port=993
Target=H
Required=true

[DnsRecord srv-submissions]
Type=SRV
Name=_submissions._tcp
Priority=0
Weight=1
Port=465
Target=H
Required=true

[DnsRecord srv-caldavs]
Type=SRV
Name=_caldavs._tcp
Priority=0
Weight=1
Port=443
Target=H
Required=true

[DnsRecord srv-carddavs]
Type=SRV
Name=_carddavs._tcp
Priority=0
Weight=1
Port=443
Target=H
Required=true
