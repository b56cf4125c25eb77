// The application id: electron-builder.yml's `appId` (the packaging unit test checks they are the
// same) and, on Windows, the AppUserModelID that notifications are shown under — without it a
// notification of the installed app carries no name or icon, or does not show at all.
export const APP_ID = 'org.pocketdhcp.PocketDHCP';
