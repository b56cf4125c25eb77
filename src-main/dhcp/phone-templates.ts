// Presets for IP phones that find their call server or provisioning server in options other than 43
// (option 43 templates, Mitel's among them, are VENDOR_TEMPLATES in vendor-options.ts). Each sets one
// or more options in their configuration JSON shape; the addresses are placeholders to replace.
// Formats, from the vendors' documentation:
// - Avaya 96x0/96x1 H.323 deskphones: site-specific option 242, text "MCIPADD=<call servers>,
//   MCPORT=1719,HTTPSRVR=<file server>" — comma-separated NAME=value pairs, IP lists comma-separated
//   without spaces (Avaya 9600 Series IP Deskphones Administrator Guide, "Configuring DHCP Option 242";
//   the 4600 series used 176 with the same syntax).
// - Cisco IP phones (CUCM): option 150, the TFTP servers holding their configuration files
//   (RFC 5859 documents Cisco's use of 150); option 66 is their single-server fallback.
// - Polycom (Poly) phones: the provisioning ("boot") server in option 66 as a string, an address or a
//   URL such as http://host/path (SoundPoint IP / UC Software Administrator's Guide, "Boot Server:
//   Option 66 (string type)").
// - Yealink phones: the provisioning server URL in option 66, tried after a custom option and before
//   43 (Yealink IP Phones Administrator Guide, "DHCP Option 66, Option 43 and Custom Option").
export interface PhoneTemplate {
  id: string;
  label: string;
  /** Options by name, in the configuration's JSON shape. */
  options: Readonly<Record<string, unknown>>;
  hint: string;
}

export const PHONE_TEMPLATES: readonly PhoneTemplate[] = [
  {
    id: 'avaya-h323',
    label: 'Avaya 96x1 H.323 deskphones: call server and file server (242)',
    options: { 'avaya-ip-phone': 'MCIPADD=198.18.0.10,MCPORT=1719,HTTPSRVR=198.18.0.11' },
    hint: 'MCIPADD lists the call servers (comma-separated, no spaces), HTTPSRVR the server with 46xxsettings.txt and the firmware.',
  },
  {
    id: 'cisco-phone',
    label: 'Cisco IP phones: TFTP servers (150)',
    options: { 'tftp-server-address': ['198.18.0.10'] },
    hint: 'Cisco phones load their configuration file (SEP<MAC>.cnf.xml) from the first TFTP server in this list that answers: the CUCM TFTP servers.',
  },
  {
    id: 'polycom',
    label: 'Polycom phones: provisioning server (66)',
    options: { 'tftp-server-name': 'http://198.18.0.10/polycom/' },
    hint: 'Polycom phones fetch <MAC>.cfg and 000000000000.cfg from this address or URL (http://, https://, ftp:// or tftp://).',
  },
  {
    id: 'yealink',
    label: 'Yealink phones: provisioning server URL (66)',
    options: { 'tftp-server-name': 'http://198.18.0.10/yealink/' },
    hint: 'Yealink phones fetch y0000000000xx.cfg and <MAC>.cfg from this URL at start-up (auto provisioning).',
  },
];
