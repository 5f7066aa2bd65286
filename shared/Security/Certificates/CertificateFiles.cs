using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace CloudBus.Security.Certificates;

/// <summary>
/// Certificates and keys as PEM files, as openssl and every TLS tool read them. A private key file
/// is written mode 600 and refused when others may read it, as a secret file is.
/// </summary>
public static class CertificateFiles
{
    /// <summary>Writes <paramref name="certificate"/> to <paramref name="certificateFile"/> and its key to <paramref name="keyFile"/>; neither may exist yet.</summary>
    public static void Write(X509Certificate2 certificate, string certificateFile, string keyFile)
    {
        var key = certificate.GetECDsaPrivateKey() ?? throw new ArgumentException("The certificate has no ECDSA private key.", nameof(certificate));
        SecretFile.Write(keyFile, key.ExportPkcs8PrivateKeyPem());
        WritePublic(certificate, certificateFile);
    }

    /// <summary>Writes the certificate alone (for the CA's: what everyone trusts).</summary>
    public static void WritePublic(X509Certificate2 certificate, string certificateFile)
    {
        using var stream = new FileStream(certificateFile, FileMode.CreateNew, FileAccess.Write);
        using var writer = new StreamWriter(stream);
        writer.WriteLine(certificate.ExportCertificatePem());
    }

    /// <exception cref="CertificateFileException">A file is missing, unreadable, not PEM, or the key is readable by others or does not match.</exception>
    public static X509Certificate2 LoadWithKey(string certificateFile, string keyFile)
    {
        string keyPem;
        try
        {
            keyPem = SecretFile.Read(keyFile, "the key file");
        }
        catch (SecretFileException exception)
        {
            throw new CertificateFileException(exception.Message);
        }
        var certificate = LoadPublic(certificateFile);
        try
        {
            using var key = ECDsa.Create();
            key.ImportFromPem(keyPem);
            using (certificate)
                return certificate.CopyWithPrivateKey(key);
        }
        catch (Exception exception) when (exception is CryptographicException or ArgumentException)
        {
            throw new CertificateFileException($"the key '{keyFile}' is not the ECDSA private key of the certificate '{certificateFile}': {exception.Message}");
        }
    }

    public static X509Certificate2 LoadPublic(string certificateFile)
    {
        if (!File.Exists(certificateFile)) throw new CertificateFileException($"the certificate file '{certificateFile}' does not exist");
        try
        {
            return X509Certificate2.CreateFromPem(File.ReadAllText(certificateFile));
        }
        catch (CryptographicException exception)
        {
            throw new CertificateFileException($"the file '{certificateFile}' holds no PEM certificate: {exception.Message}");
        }
    }
}

/// <summary>A certificate or key file that cannot be used, and why.</summary>
public sealed class CertificateFileException(string message) : Exception(message);
